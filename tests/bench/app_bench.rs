//! Benchmark: Cashdesk's start, memory and idle CPU against an empty Tauri 2
//! app built the same way (`cashdesk-empty-shell`), both launched by
//! tauri-driver in the same Xvfb session. Cashdesk holds `--rows` stored
//! requests (1,000,000 by default). Start: from the WebDriver new-session
//! request (which launches the process) to the first interactive screen —
//! the log-in form for Cashdesk, the page for the empty app — and for
//! Cashdesk on to the first queue page after logging in. Memory: PSS of the
//! whole process tree (the app and its WebKit processes). Idle: CPU time of
//! that tree over `--idle-secs` with nothing happening.
//! Usage (scripts/bench.sh): app-bench --bin-dir target/release [--rows N]
//!   [--runs N] [--idle-secs N] [--append FILE] [--data DIR] [--detail]
//! `--data` keeps the seeded desk in DIR and reuses it on the next run;
//! `--detail` also prints each process's PSS and the app's busiest threads.

#[path = "../e2e/driver.rs"]
#[allow(dead_code)]
mod driver;
#[path = "../e2e/seed.rs"]
#[allow(dead_code)]
mod seed;
#[path = "../e2e/steps.rs"]
#[allow(dead_code)]
mod steps;

use driver::{Driver, css, find};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SECRET: &str = "bench-desk-2026";

struct Args {
    bin_dir: PathBuf,
    rows: u64,
    runs: usize,
    idle: Duration,
    append: Option<PathBuf>,
    data: Option<PathBuf>,
    detail: bool,
}

fn args() -> Args {
    let mut a = Args {
        bin_dir: PathBuf::from("target/release"),
        rows: 1_000_000,
        runs: 5,
        idle: Duration::from_secs(60),
        append: None,
        data: None,
        detail: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--detail" {
            a.detail = true;
            continue;
        }
        let v = it.next().unwrap_or_default();
        match k.as_str() {
            "--bin-dir" => a.bin_dir = v.into(),
            "--rows" => a.rows = v.parse().expect("--rows N"),
            "--runs" => a.runs = v.parse().expect("--runs N"),
            "--idle-secs" => a.idle = Duration::from_secs(v.parse().expect("--idle-secs N")),
            "--append" => a.append = Some(v.into()),
            "--data" => a.data = Some(v.into()),
            _ => panic!("unknown argument {k}"),
        }
    }
    a
}

/// A WebDriver session launching `app` (tauri-driver drops some first
/// requests: tried again, after stopping any half-started app).
async fn session(port: u16, app: &Path) -> Client {
    let caps = serde_json::json!({"browserName": "wry", "tauri:options": {"application": app}});
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    for _ in 0..4 {
        if let Ok(c) = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            return c;
        }
        for pid in pids_of(app) {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    panic!("no WebDriver session with {}", app.display())
}

fn pids_of(app: &Path) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|p| std::fs::read_link(format!("/proc/{p}/exe")).ok().as_deref() == Some(app))
        .collect()
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse().ok())
        .collect()
}

/// `pid` and every process below it (the WebKit web and network processes).
fn tree(pid: u32) -> Vec<u32> {
    let parent = |p: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let all = all_pids();
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(all.iter().copied().filter(|c| parent(*c) == Some(p)));
        i += 1;
    }
    out
}

fn pss_kib(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok())
        .flat_map(|s| {
            s.lines()
                .filter(|l| l.starts_with("Pss:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

/// CPU time (ns) each thread of the tree under `root` has used, from its
/// `schedstat` (nanoseconds: clock ticks, 10 ms each, are too coarse for a
/// minute of an idle app). By thread, so one that ends meanwhile (tokio's
/// idle blocking threads do) is not subtracted from the others.
fn cpu_ns(root: u32) -> std::collections::HashMap<String, u64> {
    tree(root)
        .iter()
        .filter_map(|p| std::fs::read_dir(format!("/proc/{p}/task")).ok())
        .flat_map(|d| d.flatten())
        .filter_map(|t| {
            let ns = std::fs::read_to_string(t.path().join("schedstat")).ok()?;
            let ns = ns.split_whitespace().next()?.parse::<u64>().ok()?;
            Some((t.path().display().to_string(), ns))
        })
        .collect()
}

/// CPU used between two `cpu_ns` readings: each thread's growth (a thread
/// born meanwhile counts whole).
fn cpu_used(
    before: &std::collections::HashMap<String, u64>,
    after: &std::collections::HashMap<String, u64>,
) -> u64 {
    after
        .iter()
        .map(|(t, ns)| ns.saturating_sub(before.get(t).copied().unwrap_or(0)))
        .sum()
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

/// PSS (MiB) and CPU (% of one core) of `app`'s tree, idle for `idle`.
async fn idle_figures(app: &Path, idle: Duration) -> (f64, f64) {
    tokio::time::sleep(Duration::from_secs(10)).await;
    let root = *pids_of(app).first().expect("the app runs");
    let pss = pss_kib(&tree(root)) as f64 / 1024.0;
    let before = cpu_ns(root);
    tokio::time::sleep(idle).await;
    let used = cpu_used(&before, &cpu_ns(root)) as f64 / 1e9;
    (pss, used / idle.as_secs_f64() * 100.0)
}

/// When the page's steps happened, counted from the launch: where a start's
/// time goes between the process and the first screen.
async fn timeline(c: &Client, launched: std::time::SystemTime, app: &Path) {
    // The process's own start: boot time + its start tick, against the clock.
    if let (Some(pid), Ok(stat), Ok(up)) = (
        pids_of(app).first().copied(),
        std::fs::read_to_string(format!(
            "/proc/{}/stat",
            pids_of(app).first().copied().unwrap_or(0)
        )),
        std::fs::read_to_string("/proc/uptime"),
    ) {
        let ticks: f64 = stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().nth(19)?.parse().ok())
            .unwrap_or(0.0);
        let up: f64 = up
            .split_whitespace()
            .next()
            .and_then(|u| u.parse().ok())
            .unwrap_or(0.0);
        let now = std::time::SystemTime::now();
        let since_launch = now.duration_since(launched).unwrap().as_secs_f64();
        let age = up - ticks / clock_ticks();
        eprintln!(
            "process {pid} started {:.0} ms after launch",
            (since_launch - age) * 1000.0
        );
    }
    let at = launched
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1000.0;
    let js = "const n = performance.getEntriesByType('navigation')[0]?.toJSON() ?? {};
        const r = performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), e.startTime, e.responseEnd]);
        const m = performance.getEntriesByType('mark').map((e) => [e.name, e.startTime]);
        return JSON.stringify({ origin: performance.timeOrigin, now: performance.now(), n, r, m });";
    match c.execute(js, vec![]).await {
        Ok(serde_json::Value::String(v)) => {
            let v: serde_json::Value = serde_json::from_str(&v).unwrap_or_default();
            let origin = v["origin"].as_f64().unwrap_or(0.0) - at;
            let rel = |x: &serde_json::Value| x.as_f64().map(|x| format!("{:.0} ms", origin + x));
            eprintln!(
                "page origin {origin:.0} ms after launch; login shown by {:?}",
                rel(&v["now"])
            );
            for k in [
                "responseEnd",
                "domInteractive",
                "domContentLoadedEventEnd",
                "loadEventEnd",
            ] {
                eprintln!("  {k}: {:?}", rel(&v["n"][k]));
            }
            for e in v["r"].as_array().into_iter().flatten() {
                eprintln!("  resource {} {:?} → {:?}", e[0], rel(&e[1]), rel(&e[2]));
            }
            for e in v["m"].as_array().into_iter().flatten() {
                eprintln!("  mark {} {:?}", e[0], rel(&e[1]));
            }
        }
        other => eprintln!("no timeline: {other:?}"),
    }
}

/// Each process's PSS and the app's busiest threads over 20 s (what to
/// look at when the idle figures move).
async fn detail(app: &Path) {
    let root = *pids_of(app).first().expect("the app runs");
    for p in tree(root) {
        let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
        // Mappings: WebKit reads the web process's smaps every 30 s, at a
        // cost that grows with them.
        let maps = std::fs::read_to_string(format!("/proc/{p}/maps"))
            .map(|m| m.lines().count())
            .unwrap_or(0);
        eprintln!(
            "pss {:>8} KiB  {maps:>5} maps  {p} {}",
            pss_kib(&[p]),
            name.trim()
        );
    }
    let threads = |p: u32| -> Vec<(String, u64)> {
        let Ok(dir) = std::fs::read_dir(format!("/proc/{p}/task")) else {
            return Vec::new();
        };
        dir.flatten()
            .filter_map(|t| {
                let name = std::fs::read_to_string(t.path().join("comm")).ok()?;
                let name = name.trim().to_owned();
                let ticks = std::fs::read_to_string(t.path().join("schedstat"))
                    .ok()?
                    .split_whitespace()
                    .next()?
                    .parse::<u64>()
                    .ok()?;
                Some((
                    format!("{p}/{} {name}", t.file_name().to_string_lossy()),
                    ticks,
                ))
            })
            .collect()
    };
    let all = |root: u32| tree(root).into_iter().flat_map(threads).collect::<Vec<_>>();
    let before: std::collections::HashMap<String, u64> = all(root).into_iter().collect();
    tokio::time::sleep(Duration::from_secs(20)).await;
    let mut used: Vec<(u64, String)> = all(root)
        .into_iter()
        .map(|(k, v)| (v - before.get(&k).copied().unwrap_or(0), k))
        .filter(|(d, _)| *d > 0)
        .collect();
    used.sort_by(|a, b| b.cmp(a));
    for (d, k) in used {
        eprintln!("cpu {:>8.1} ms in 20 s  {k}", d as f64 / 1e6);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn close(c: Client, app: &Path) {
    let _ = c.close().await;
    let start = Instant::now();
    while !pids_of(app).is_empty() && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::main]
async fn main() {
    let a = args();
    let cashdesk = a
        .bin_dir
        .join("cashdesk")
        .canonicalize()
        .expect("cashdesk built");
    let empty = a
        .bin_dir
        .join("cashdesk-empty-shell")
        .canonicalize()
        .expect("cashdesk-empty-shell built");
    let temp = tempfile::tempdir().unwrap();
    let data = a.data.clone().unwrap_or_else(|| temp.path().to_owned());
    // A kept desk is seeded and given its admin once (same D-Bus session:
    // the admin's keys are in that session's keychain).
    let admin_made = data.join("bench-admin-made");
    if !admin_made.exists() {
        std::fs::create_dir_all(&data).unwrap();
        let t = Instant::now();
        seed::seed(&data, a.rows);
        eprintln!("seeded {} requests in {:?}", a.rows, t.elapsed());
    }
    let driver = Driver::start(&[
        ("CASHDESK_DATA_DIR", data.display().to_string()),
        ("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.bench".into()),
        ("CASHDESK_SANDBOX", "off".into()),
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".into()),
    ]);
    let port = driver.port();

    // The empty app: start to its page, then idle.
    let mut empty_start = Vec::new();
    let mut empty_idle = (0.0, 0.0);
    for run in 0..a.runs {
        let t = Instant::now();
        let launched = std::time::SystemTime::now();
        let c = session(port, &empty).await;
        find(&c, &css("empty-ready")).await;
        empty_start.push(t.elapsed());
        if a.detail {
            timeline(&c, launched, &empty).await;
        }
        if run + 1 == a.runs {
            empty_idle = idle_figures(&empty, a.idle).await;
            if a.detail {
                detail(&empty).await;
            }
        }
        close(c, &empty).await;
    }

    // Cashdesk: the first start creates the admin (not measured). It also
    // checks the large file in the background, once a day (store/check.rs).
    if !admin_made.exists() {
        let c = session(port, &cashdesk).await;
        steps::create_first_admin(&c, "Bench Admin", SECRET).await;
        // Left open until the day's check is done, as a desk would be.
        let stamp = data.join("cashdesk.db-checked");
        let waited = Instant::now();
        while !stamp.exists() && waited.elapsed() < Duration::from_secs(120) {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        close(c, &cashdesk).await;
        std::fs::write(&admin_made, b"").unwrap();
    }
    let (mut login, mut queue) = (Vec::new(), Vec::new());
    let mut desk_idle = (0.0, 0.0);
    for run in 0..a.runs {
        let t = Instant::now();
        let launched = std::time::SystemTime::now();
        let c = session(port, &cashdesk).await;
        find(&c, &css("login-secret")).await;
        login.push(t.elapsed());
        if a.detail {
            timeline(&c, launched, &cashdesk).await;
        }
        steps::type_into(&c, "login-secret", SECRET).await;
        steps::click(&c, "login-submit").await;
        find(&c, &css("queue-row")).await;
        queue.push(t.elapsed());
        if run + 1 == a.runs {
            desk_idle = idle_figures(&cashdesk, a.idle).await;
            if a.detail {
                detail(&cashdesk).await;
            }
        }
        close(c, &cashdesk).await;
    }
    // The first start of a day: the file is read whole in the background.
    let _ = std::fs::remove_file(data.join("cashdesk.db-checked"));
    let t = Instant::now();
    let c = session(port, &cashdesk).await;
    find(&c, &css("login-secret")).await;
    let checking = t.elapsed();
    close(c, &cashdesk).await;

    let (e, l, q) = (median(empty_start), median(login), median(queue));
    let s = |d: Duration| format!("{:.2} s", d.as_secs_f64());
    let r = |x: f64, y: f64| if y > 0.0 { x / y } else { f64::NAN };
    let report = format!(
        "\n## The app: start, memory and idle against an empty Tauri 2 app\n\n\
         Cashdesk with {rows} stored requests against `cashdesk-empty-shell` (an empty Tauri 2\n\
         window, same build profile), both launched by tauri-driver under Xvfb on this\n\
         machine, median of {runs} starts each (file cache warm after the first).\n\n\
         | | empty Tauri app | Cashdesk | ratio | target |\n|---|---|---|---|---|\n\
         | start to the first interactive screen (Cashdesk: log-in) | {e} | {l} | **{rl:.2}×** | ≤ 1.3× |\n\
         | start to the queue's first page (log-in typed by WebDriver) | {e} | {q} | {rq:.2}× | |\n\
         | the day's first start (the file checked in the background meanwhile), to log-in | {e} | {ck} | {rck:.2}× | |\n\
         | memory, PSS of the process tree, idle | {em:.0} MiB | {dm:.0} MiB | **{rm:.2}×** | ≤ 1.3× |\n\
         | CPU idle over {idle} s, % of one core | {ec:.2} % | {dc:.2} % | **{rc:.2}×** | ≤ 1.3× |\n",
        rows = a.rows,
        runs = a.runs,
        e = s(e),
        l = s(l),
        q = s(q),
        rl = r(l.as_secs_f64(), e.as_secs_f64()),
        rq = r(q.as_secs_f64(), e.as_secs_f64()),
        ck = s(checking),
        rck = r(checking.as_secs_f64(), e.as_secs_f64()),
        em = empty_idle.0,
        dm = desk_idle.0,
        rm = r(desk_idle.0, empty_idle.0),
        idle = a.idle.as_secs(),
        ec = empty_idle.1,
        dc = desk_idle.1,
        rc = r(desk_idle.1, empty_idle.1),
    );
    print!("{report}");
    if let Some(path) = a.append {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .unwrap()
            .write_all(report.as_bytes())
            .unwrap();
    }
}
