//! `cashdesk-bench`: the store's speed at a million requests, measured
//! against bare SQLite and a bare fsync on the same disk, written to
//! docs/BENCHMARKS.md. Run with `bash scripts/bench.sh` (release build).
//!
//! Usage: cashdesk-bench [--rows N] [--iterations N] [--dir PATH] [--out FILE]

use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestKind, RequestStatus};
use cashdesk_store::{NewAccount, QueueFilter, QueueView, Store};

#[path = "bench/approve.rs"]
mod approve;
#[path = "bench/overview.rs"]
mod overview;
#[path = "bench/queries.rs"]
mod queries;
use std::time::{Duration, Instant};

struct Args {
    rows: u64,
    iterations: usize,
    dir: std::path::PathBuf,
    out: Option<std::path::PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        rows: 1_000_000,
        iterations: 300,
        dir: std::env::temp_dir(),
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let v = it.next().unwrap_or_default();
        match flag.as_str() {
            "--rows" => a.rows = v.parse().expect("--rows N"),
            "--iterations" => a.iterations = v.parse().expect("--iterations N"),
            "--dir" => a.dir = v.into(),
            "--out" => a.out = Some(v.into()),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

/// When the first synthetic request arrived (2026-01-01).
const T0: i64 = 1_767_225_600_000;
/// One request every 5 s: a busy desk's 17,280 a day, a million in 58 days.
const SPACING_MS: i64 = 5_000;

const PROVIDERS: [&str; 4] = ["zexabit", "paykassma", "zimo_pagos", "cashweb"];
const STATUSES: [(&str, &str); 5] = [
    ("pending", "queue"),
    ("completed", "done"),
    ("rejected", "done"),
    ("awaiting_provider", "in_flight"),
    ("failed", "attention"),
];

/// Bulk-loads synthetic requests in one transaction (speed over durability:
/// this is set-up, not what is measured).
fn generate(path: &std::path::Path, rows: u64) -> AccountId {
    let store = Store::open(path).unwrap();
    let account = AccountId::new();
    store
        .add_account(
            account,
            &NewAccount {
                provider: ProviderKind::Zexabit,
                name: "bench".into(),
                base_url: "https://x".into(),
                secret_names: vec![],
                config: serde_json::json!({}),
                sandbox: true,
            },
            &Actor::System,
        )
        .unwrap();
    drop(store);
    let mut c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut st = tx.prepare(
            "INSERT INTO requests (id, kind, provider, account_id, method, amount, currency, end_user_ref, trx_id, merchant_ref,
                status, view, source, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, 'bkash', ?5, 'BDT', ?6, ?7, ?8, ?9, ?10, 'intake', ?11, ?11)",
        ).unwrap();
        for i in 0..rows {
            let id = uuid::Uuid::now_v7();
            // a cheap deterministic spread over providers, kinds and statuses
            let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
            let (status, view) = STATUSES[(h % 5) as usize];
            st.execute(rusqlite::params![
                id.to_string(),
                if h % 3 == 0 { "withdrawal" } else { "deposit" },
                PROVIDERS[((h >> 3) % 4) as usize],
                account.to_string(),
                format!("{}.00", 100 + h % 50_000),
                format!("usr_{}", h % 100_000),
                format!("TRX{h:010}"),
                format!("cd-{}", id.simple()),
                status,
                view,
                T0 + i as i64 * SPACING_MS,
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    c.execute_batch("ANALYZE").unwrap();
    account
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (p(0.5), p(0.99))
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let a = args();
    let dir = tempfile::tempdir_in(&a.dir).unwrap();
    let dir = if std::env::var_os("BENCH_KEEP").is_some() {
        let p = dir.keep();
        eprintln!("KEEP {}", p.display());
        tempfile::tempdir_in(&p).unwrap()
    } else {
        dir
    };
    let path = if std::env::var_os("BENCH_KEEP").is_some() {
        dir.path().parent().unwrap().join("bench.db")
    } else {
        dir.path().join("bench.db")
    };
    eprintln!("generating {} requests in {} …", a.rows, path.display());
    let t = Instant::now();
    generate(&path, a.rows);
    // The synthetic requests arrive one every 5 s from 2026-01-01.
    let end_ms = T0 + a.rows as i64 * SPACING_MS;
    overview::generate(&path, end_ms);
    // The set-up was written without fsync: flush it now, or the kernel's
    // writeback of a gigabyte competes with what is measured next.
    std::fs::File::open(&path).unwrap().sync_all().unwrap();
    eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());

    let store = Store::open(&path).unwrap();
    let filter = QueueFilter {
        view: QueueView::Queue,
        status: Some(RequestStatus::Pending),
        provider: Some(ProviderKind::Zexabit),
        kind: Some(RequestKind::Deposit),
        limit: 100,
        ..QueueFilter::view(QueueView::Queue)
    };
    // (a) first page: store API vs the same SQL on a raw connection.
    let raw =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let (raw_t, api_t, rows) = queries::time_page(&store, &raw, &filter, a.iterations);
    assert_eq!(rows, 100);
    let (raw_med, raw_p99) = stats(raw_t);
    let (api_med, api_p99) = stats(api_t);

    // (b) approve-to-durable-commit vs one bare fsync on the same disk.
    // More than one page of the queue: the same filter, page after page.
    let mut pending = Vec::new();
    let mut after = None;
    while pending.len() < 2 * a.iterations {
        let page = store
            .list_queue(&QueueFilter {
                limit: 500,
                after,
                ..filter.clone()
            })
            .unwrap();
        pending.extend(page.items.iter().map(|r| r.id));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    pending.truncate(2 * a.iterations);
    let approvals = approve::measure(&store, dir.path(), &pending);

    // (c) a complete CSV export of every row (all four views, 1,000,000
    // rows at the default size) vs the same rows read raw and written as
    // CSV text, each to a file on the same disk.
    let views = [
        QueueView::Queue,
        QueueView::InFlight,
        QueueView::Attention,
        QueueView::Done,
    ];
    let t = Instant::now();
    let mut exported = 0;
    for v in views {
        let out =
            std::io::BufWriter::new(std::fs::File::create(dir.path().join("export.csv")).unwrap());
        let (n, out) = store.export_csv(&QueueFilter::view(v), out).unwrap();
        out.into_inner().unwrap().sync_all().unwrap();
        exported += n;
    }
    let export_t = t.elapsed();
    let t = Instant::now();
    let mut raw_rows = 0u64;
    for v in views {
        let file = std::fs::File::create(dir.path().join("raw.csv")).unwrap();
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
        let mut st = raw
            .prepare("SELECT * FROM requests WHERE view = ?1 ORDER BY created_ms, seq")
            .unwrap();
        let cols = st.column_count();
        let mut rows = st.query([v.as_str()]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let rec: Vec<String> = (0..cols)
                .map(|i| match r.get::<_, rusqlite::types::Value>(i).unwrap() {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    _ => String::new(),
                })
                .collect();
            w.write_record(&rec).unwrap();
            raw_rows += 1;
        }
        w.into_inner()
            .unwrap()
            .into_inner()
            .unwrap()
            .sync_all()
            .unwrap();
    }
    let raw_export_t = t.elapsed();
    assert_eq!(exported, raw_rows, "the export holds every row");

    let queries = queries::measure(&store, &raw, end_ms, a.iterations);
    let overview = overview::measure(&store, end_ms, a.iterations, api_med);

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let report = format!(
        "# Benchmarks\n\n\
         Measured by `bash scripts/bench.sh` (release build, `cashdesk-bench`), never by timed test assertions.\n\
         Machine: {cores} cores, {os}. Database: {rows} synthetic requests (4 providers, 2 kinds, 5 statuses), one SQLite file in WAL mode.\n\
         Run: {date}.\n\n\
         ## Queue: first page of 100 pending Zexabit deposits ({it} runs)\n\n\
         | | median | p99 |\n|---|---|---|\n\
         | raw SQLite, same SQL, same file | {rm} | {rp} |\n\
         | store API (`Store::list_queue`, mapped to records) | {am} | {apq} |\n\
         | **ratio** (target ≤ 1.5×) | **{r1:.2}×** | {r2:.2}× |\n\n\
         {approvals}## Export: every row as CSV ({exported} rows, all four views, one run)\n\n\
         | | time | rows/s |\n|---|---|---|\n\
         | raw SQLite rows written as CSV text, same disk | {rx:.2} s | {rxr:.0} |\n\
         | `Store::export_csv` (records, exact amounts, formula-safe cells), streamed | {ex:.2} s | {exr:.0} |\n\
         | **ratio** | **{r5:.2}×** | |\n\n\
         The export holds one row in memory at a time; its row count equals the\n\
         view's (`crates/core/tests/export.rs`).\n",
        cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        os = std::env::consts::OS,
        rows = a.rows,
        date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        it = a.iterations,
        rm = us(raw_med),
        rp = us(raw_p99),
        am = us(api_med),
        apq = us(api_p99),
        r1 = ratio(api_med, raw_med),
        r2 = ratio(api_p99, raw_p99),
        approvals = approve::markdown(&approvals),
        exported = exported,
        rx = raw_export_t.as_secs_f64(),
        rxr = raw_rows as f64 / raw_export_t.as_secs_f64(),
        ex = export_t.as_secs_f64(),
        exr = exported as f64 / export_t.as_secs_f64(),
        r5 = ratio(export_t, raw_export_t),
    );
    let report = format!("{report}{queries}{overview}");
    print!("{report}");
    if let Some(out) = a.out {
        std::fs::write(out, report).unwrap();
    }
}
