//! Benchmark: a team desk under load. Two desk servers (two cores, each
//! serving desktops over TLS) on one PostgreSQL database, and N desktop
//! clients (headless processes, this binary with `--client`, half on each
//! server) claiming and
//! approving Paykassma deposits concurrently for a set time while the
//! operator's platform keeps the queue stocked. Counted: requests decided
//! twice (two clients told "approved" for one request), provider calls
//! sent twice (at the simulator), the time until a claim made on one
//! server shows in the change feed of a desktop on the other, decisions
//! per second and their latency. Needs `CASHDESK_TEST_PG` (a throwaway
//! cluster: `scripts/test-pg.sh`; `scripts/bench.sh` starts one).
//! Usage: cashdesk-team-bench [--clients N] [--secs S] [--append FILE]

use cashdesk_core::api::dto::{ErrorCode, NamedValue, NewAccountInput};
use cashdesk_core::api::operators::NewOperatorInput;
use cashdesk_core::api::session::{SecretKind, create_first_admin};
use cashdesk_core::intake::{IntakeRequest, submit};
use cashdesk_core::team::TeamServerConfig;
use cashdesk_core::team::client::TeamClient;
use cashdesk_core::team::trust::Trust;
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{ProviderKind, RequestId, RequestKind, Role};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use cashdesk_store::{nearest_rank, pg_test::TestDatabase};
use futures_util::StreamExt;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "bench horse 1";

/// What one desktop process did, printed as JSON when its time is up.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Tally {
    /// Requests this desktop was told it approved.
    approved: Vec<RequestId>,
    approve_ms: Vec<i64>,
    /// Each claim granted: the request and when it was asked for (ms
    /// since the epoch; one machine, one clock).
    claimed: Vec<(RequestId, i64)>,
    conflicts: u64,
}

fn epoch_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn config(dir: &std::path::Path, db: &TestDatabase, secrets: &std::path::Path) -> Config {
    let mut c = Config::from_env(dir.to_owned());
    c.data_dir = dir.to_owned();
    c.database_url = Some(db.url().to_owned());
    c.keychain_service = "dev.cashdesk.bench".into();
    c.secrets_file = Some(secrets.to_owned());
    c.http_addr = ([127, 0, 0, 1], 0).into();
    c.sandbox_when_unconfigured = false;
    c.notifications = false;
    c
}

async fn serve(app: &Cashdesk, dir: &std::path::Path) -> anyhow::Result<(String, String)> {
    let info = cashdesk_core::team::serve(app, TeamServerConfig::loopback(dir)).await?;
    Ok((
        format!("https://127.0.0.1:{}", info.addr.port()),
        info.fingerprint,
    ))
}

async fn client(url: &str, print: &str, id: &serde_json::Value) -> anyhow::Result<TeamClient> {
    let c = TeamClient::new(url, &Trust::Pinned(print.to_owned())).map_err(api)?;
    c.call("log_in", json!({"id": id, "secret": SECRET}))
        .await
        .map_err(api)?;
    Ok(c)
}

fn api(e: cashdesk_core::api::dto::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{:?}: {}", e.code, e.message)
}

fn deposit(n: usize, account: cashdesk_domain::AccountId) -> IntakeRequest {
    IntakeRequest {
        intake_ref: format!("bench-{n}"),
        kind: RequestKind::Deposit,
        provider: ProviderKind::Paykassma,
        account_id: Some(account),
        method: "bkash".into(),
        amount: "500".into(),
        currency: "BDT".into(),
        end_user_ref: format!("bench_user_{n}"),
        end_user_name: None,
        provider_user_id: None,
        trx_id: Some(format!("TB{n:08}")),
        sender: None,
        agent_number: None,
        destination: None,
        details: json!({}),
        screenshot: None,
    }
}

/// One desktop process (`--client URL FINGERPRINT OPERATOR START_MS
/// UNTIL_MS`): logs in, waits for `START_MS`, then claims a request from
/// the first page and approves it, again, until `UNTIL_MS`; prints its
/// tally.
async fn desk(args: &[String]) -> anyhow::Result<()> {
    let [url, print, op, start, until] = args else {
        anyhow::bail!("--client URL FINGERPRINT OPERATOR START_MS UNTIL_MS");
    };
    let id: serde_json::Value = serde_json::from_str(op)?;
    let (start, until): (i64, i64) = (start.parse()?, until.parse()?);
    let c = client(url, print, &id).await?;
    let wait = start - epoch_ms();
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait as u64)).await;
    }
    let mut t = Tally::default();
    while epoch_ms() < until {
        let Ok(page) = c
            .call("list_queue", json!({"query": {"tab": "queue"}}))
            .await
        else {
            continue;
        };
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        let pick = rand::random_range(0..items.len());
        let Ok(id) = serde_json::from_value::<RequestId>(items[pick]["id"].clone()) else {
            continue;
        };
        let asked = epoch_ms();
        if c.call("claim", json!({"id": id})).await.is_err() {
            t.conflicts += 1;
            continue;
        }
        t.claimed.push((id, asked));
        let started = Instant::now();
        match c
            .call("approve", json!({"id": id, "confirmed": true}))
            .await
        {
            Ok(_) => {
                t.approved.push(id);
                t.approve_ms.push(started.elapsed().as_millis() as i64);
            }
            Err(e) if matches!(e.code, ErrorCode::Claimed | ErrorCode::NotAllowed) => {
                t.conflicts += 1;
            }
            Err(e) => eprintln!("approve: {:?} {}", e.code, e.message),
        }
    }
    println!("{}", serde_json::to_string(&t)?);
    Ok(())
}

/// Change notices each watching desktop heard: request → when (epoch ms).
type Heard = Arc<Mutex<HashMap<RequestId, Vec<i64>>>>;

/// A supervisor's desktop on a server: notes when each request's change
/// notices reach its feed.
async fn watch(c: TeamClient, heard: Heard) {
    let Ok(mut feed) = c.events().await else {
        eprintln!("a watching desktop got no feed");
        return;
    };
    while let Some(change) = feed.next().await {
        let now = epoch_ms();
        let mut h = heard.lock().unwrap();
        for id in change.requests {
            h.entry(id).or_default().push(now);
        }
    }
}

fn pct(v: &mut [i64], p: u64) -> String {
    v.sort_unstable();
    nearest_rank(v, p).map_or("–".into(), |x| format!("{x} ms"))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("--client") {
        return desk(&all[1..]).await;
    }
    let (mut clients, mut secs, mut append) = (50usize, 30u64, None::<String>);
    let mut args = all.into_iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--clients" => clients = args.next().and_then(|v| v.parse().ok()).unwrap_or(clients),
            "--secs" => secs = args.next().and_then(|v| v.parse().ok()).unwrap_or(secs),
            "--append" => append = args.next(),
            _ => {
                anyhow::bail!("usage: cashdesk-team-bench [--clients N] [--secs S] [--append FILE]")
            }
        }
    }
    let db = TestDatabase::create()?;
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(300),
        postback_backoff: Duration::from_millis(100),
        ..Default::default()
    })
    .await?;
    let tmp = tempfile::tempdir()?;
    let secrets = tmp.path().join("secrets.json");
    let (da, dbb) = (tmp.path().join("a"), tmp.path().join("b"));
    let a = Cashdesk::start(config(&da, &db, &secrets)).await?;
    let b = Cashdesk::start(config(&dbb, &db, &secrets)).await?;
    create_first_admin(&a, "Sami", SecretKind::Password, SECRET).map_err(api)?;
    let mut agents = Vec::new();
    for i in 0..clients {
        let row = cashdesk_core::api::operators::add_operator(
            &a,
            &NewOperatorInput {
                name: format!("Agent {i:02}"),
                roles: vec![Role::Agent],
                login: "password".into(),
                secret: SECRET.into(),
            },
        )
        .map_err(api)?;
        agents.push(serde_json::to_value(row.badge.id)?);
    }
    let nv = |k: &str, v: &str| NamedValue {
        name: k.into(),
        value: v.into(),
    };
    let account = cashdesk_core::api::accounts::add_account(
        &a,
        &NewAccountInput {
            provider: ProviderKind::Paykassma,
            name: "Paykassma BD".into(),
            base_url: sim.base_url(),
            secrets: vec![
                nv("secret", sim.secret()),
                nv("private_key", sim.private_key()),
            ],
            settings: vec![],
        },
    )
    .map_err(api)?
    .id;
    let http = a.http_info().expect("server A's webhook listener").addr;
    sim.set_postback_url(Some(format!("http://{http}/postbacks/paykassma/{account}")));
    let servers = [serve(&a, &da).await?, serve(&b, &dbb).await?];
    let sami = serde_json::to_value(
        cashdesk_core::api::session::session(&a)
            .map_err(api)?
            .operator
            .expect("Sami")
            .id,
    )?;

    let heard: [Heard; 2] = [Arc::default(), Arc::default()];
    for (i, (url, print)) in servers.iter().enumerate() {
        tokio::spawn(watch(client(url, print, &sami).await?, heard[i].clone()));
    }
    // The platform keeps about two pages' worth waiting.
    let mut filed = 0usize;
    while filed < 200 {
        submit(&a, &deposit(filed, account))?;
        filed += 1;
    }
    // Every desktop logs in first (one password check at a time on a
    // server), then all start together.
    let start = epoch_ms() + 2000 + 100 * clients as i64;
    let until = start + secs as i64 * 1000;
    let me = std::env::current_exe()?;
    let mut desks = Vec::new();
    for (i, id) in agents.iter().enumerate() {
        let (url, print) = &servers[i % 2];
        let child = tokio::process::Command::new(&me)
            .args(["--client", url, print, &id.to_string()])
            .args([start.to_string(), until.to_string()])
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        desks.push((i % 2, child));
    }
    let queue: cashdesk_core::api::dto::QueueQuery =
        serde_json::from_value(json!({"tab": "queue"}))?;
    while epoch_ms() < until {
        let waiting = cashdesk_core::api::requests::list_queue(&a, &queue)
            .map_err(api)?
            .counts
            .queue as usize;
        for _ in waiting..200 {
            submit(&a, &deposit(filed, account))?;
            filed += 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = Duration::from_secs(secs);
    let mut tallies = Vec::new();
    for (server, child) in desks {
        let out = child.wait_with_output().await?;
        anyhow::ensure!(out.status.success(), "a desktop process failed");
        tallies.push((server, serde_json::from_slice::<Tally>(&out.stdout)?));
    }
    let mut approved_by: HashMap<RequestId, u32> = HashMap::new();
    let (mut approve_ms, mut seen_ms, mut conflicts) = (Vec::new(), Vec::new(), 0);
    let mut unseen = 0;
    for (server, t) in &tallies {
        for id in &t.approved {
            *approved_by.entry(*id).or_default() += 1;
        }
        approve_ms.extend(&t.approve_ms);
        conflicts += t.conflicts;
        // Heard on the other server's desktop after the claim was asked for.
        let other = heard[1 - server].lock().unwrap();
        for (id, asked) in &t.claimed {
            match other
                .get(id)
                .and_then(|v| v.iter().find(|at| **at >= *asked))
            {
                Some(at) => seen_ms.push(at - asked),
                None => unseen += 1,
            }
        }
    }
    let approved: usize = approved_by.values().map(|n| *n as usize).sum();
    // Every approval's call reaches the simulator (the outbox of either server).
    let wait = Instant::now();
    while sim.payments().len() < approved_by.len() && wait.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut refs: Vec<String> = sim.payments().into_iter().map(|p| p.custom_id).collect();
    let calls = refs.len();
    refs.sort();
    refs.dedup();
    let sent_twice = calls - refs.len();
    let decided_twice = approved_by.values().filter(|n| **n > 1).count();
    let per_sec = approved as f64 / elapsed.as_secs_f64();
    let (approve_p50, approve_p99) = (pct(&mut approve_ms, 50), pct(&mut approve_ms, 99));
    let seen_n = seen_ms.len();
    let (seen_p50, seen_p99) = (pct(&mut seen_ms, 50), pct(&mut seen_ms, 99));
    let report = format!(
        "\n## Team desk: {clients} desktops on 2 servers, one PostgreSQL ({secs} s)\n\n\
         `cashdesk-team-bench --clients {clients} --secs {secs}`: {clients} desktop processes (this binary with `--client`, a pinned TLS connection each, half on each server) log in, then claim a request picked at random from the queue's first page and approve it, again, while the platform keeps 200 waiting; the simulator counts the calls. Desktops often pick the same request: a claim or approval refused because another desktop holds or decided it counts as lost, not as an error. \"Claim seen\" runs from the moment the claim was asked for to a supervisor's desktop on the other server hearing of the request (one machine, one clock). Both servers, PostgreSQL, the simulator and every desktop process share the machine's 2 cores.\n\n\
         | figure | value |\n|---|---|\n\
         | requests approved | {approved} |\n\
         | decisions per second | {per_sec:.1} |\n\
         | approve, p50 / p99 | {approve_p50} / {approve_p99} |\n\
         | claim seen by a desktop on the other server, p50 / p99 ({seen_n} claims) | {seen_p50} / {seen_p99} |\n\
         | claims never heard on the other server | {unseen} |\n\
         | claims or approvals lost to another desktop (refused, not decided) | {conflicts} |\n\
         | requests decided twice | {decided_twice} |\n\
         | provider calls sent | {calls} |\n\
         | provider calls sent twice | {sent_twice} |\n"
    );
    print!("{report}");
    if let Some(path) = append {
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        // Replaces an earlier run's section, so the file holds one.
        let kept = match old.find("\n## Team desk:") {
            Some(i) => {
                let rest = &old[i + 1..];
                let end = rest.find("\n## ").map_or(old.len(), |j| i + 1 + j);
                format!("{}{}", &old[..i], &old[end..])
            }
            None => old,
        };
        std::fs::write(
            &path,
            format!("{}{report}", kept.trim_end_matches('\n').to_owned() + "\n"),
        )?;
    }
    b.shutdown().await;
    a.shutdown().await;
    anyhow::ensure!(
        decided_twice == 0 && sent_twice == 0,
        "a request decided or sent twice"
    );
    Ok(())
}
