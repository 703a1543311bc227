//! A queue page for each kind of view the window can ask for (every order,
//! each filter, search, a later page): the store against the very same SQL
//! run raw on the same file, so the ratio is the store's own cost.

use crate::stats;
use cashdesk_domain::{OperatorId, ProviderKind, RequestKind, RequestStatus};
use cashdesk_store::{QueueFilter, QueueSort, QueueView, Store, amount_key, queue_sql};
use std::time::{Duration, Instant};

const DAY_MS: i64 = 86_400_000;

fn views(end_ms: i64) -> Vec<(&'static str, QueueFilter)> {
    let base = |view| QueueFilter {
        limit: 100,
        ..QueueFilter::view(view)
    };
    let q = || base(QueueView::Queue);
    let key = |s: &str| amount_key(s.parse().unwrap());
    vec![
        ("Queue, oldest first", q()),
        (
            "Queue, time left",
            QueueFilter {
                sort: QueueSort::TimeLeft,
                ..q()
            },
        ),
        (
            "Queue, largest amount first",
            QueueFilter {
                sort: QueueSort::Amount,
                ..q()
            },
        ),
        (
            "Queue, pending Zexabit deposits",
            QueueFilter {
                status: Some(RequestStatus::Pending),
                provider: Some(ProviderKind::Zexabit),
                kind: Some(RequestKind::Deposit),
                ..q()
            },
        ),
        (
            "Queue, 10,000–20,000 BDT by amount",
            QueueFilter {
                amount_min: key("10000"),
                amount_max: key("20000"),
                currency: Some("BDT".into()),
                sort: QueueSort::Amount,
                ..q()
            },
        ),
        (
            "Queue, bKash withdrawals older than a day",
            QueueFilter {
                method: Some("bkash".into()),
                kind: Some(RequestKind::Withdrawal),
                created_before_ms: Some(end_ms - DAY_MS),
                ..q()
            },
        ),
        (
            "Queue, handled by one operator",
            QueueFilter {
                operator: Some(OperatorId(uuid::Uuid::from_u128(7))),
                ..q()
            },
        ),
        (
            "Queue, search a TrxID piece",
            QueueFilter {
                search: Some("0001234".into()),
                ..q()
            },
        ),
        (
            "Queue, search an end user",
            QueueFilter {
                search: Some("usr_4242".into()),
                ..q()
            },
        ),
        (
            "Queue, search a common piece, by amount",
            QueueFilter {
                search: Some("TRX00".into()),
                sort: QueueSort::Amount,
                ..q()
            },
        ),
        ("Done, newest first", base(QueueView::Done)),
        (
            "In flight, handled by one operator",
            QueueFilter {
                operator: Some(OperatorId(uuid::Uuid::from_u128(7))),
                ..base(QueueView::InFlight)
            },
        ),
        (
            "Done, search a TrxID piece",
            QueueFilter {
                search: Some("0001234".into()),
                ..base(QueueView::Done)
            },
        ),
    ]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Times one page `runs` times: the SQL raw (every column of every row
/// read) and through the store. Returns both timings and the page's rows.
pub fn time_page(
    store: &Store,
    raw: &rusqlite::Connection,
    f: &QueueFilter,
    runs: usize,
) -> (Vec<Duration>, Vec<Duration>, usize) {
    let (sql, params) = queue_sql(f, cashdesk_store::Engine::Sqlite);
    let mut raw_t = Vec::new();
    let mut api_t = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let mut st = raw.prepare_cached(&sql).unwrap();
        let mut r = st.query(rusqlite::params_from_iter(params.iter())).unwrap();
        let cols = r.as_ref().map_or(0, |s| s.column_count());
        let mut n = 0;
        while let Some(row) = r.next().unwrap() {
            for i in 0..cols {
                let _: rusqlite::types::Value = row.get(i).unwrap();
            }
            n += 1;
        }
        raw_t.push(t.elapsed());
        let t = Instant::now();
        rows = store.list_queue(f).unwrap().items.len();
        api_t.push(t.elapsed());
        assert!(n >= rows);
    }
    (raw_t, api_t, rows)
}

/// Times the first page and the page after it for every view; returns a
/// Markdown section.
pub fn measure(
    store: &Store,
    raw: &rusqlite::Connection,
    end_ms: i64,
    iterations: usize,
) -> String {
    let runs = iterations.clamp(1, 100);
    let mut table = String::new();
    let mut worst: f64 = 0.0;
    for (name, first) in views(end_ms) {
        let next = store.list_queue(&first).unwrap().next;
        let pages = [(name.to_string(), first.clone())]
            .into_iter()
            .chain(next.map(|c| {
                (
                    format!("{name}, next page"),
                    QueueFilter {
                        after: Some(c),
                        ..first.clone()
                    },
                )
            }));
        for (label, f) in pages {
            let (raw_t, api_t, rows) = time_page(store, raw, &f, runs);
            let (rm, rp) = stats(raw_t);
            let (am, ap) = stats(api_t);
            let r99 = ap.as_secs_f64() / rp.as_secs_f64();
            worst = worst.max(r99);
            table.push_str(&format!(
                "| {label} | {rows} | {} | {} | {} | {} | {:.2}× | {r99:.2}× |\n",
                ms(rm),
                ms(rp),
                ms(am),
                ms(ap),
                am.as_secs_f64() / rm.as_secs_f64(),
            ));
        }
    }
    format!(
        "\n## Queue: a page of 100 for each kind of view ({runs} runs each)\n\n\
         Every order, each filter, search (FTS5 trigram index), and the page after the first\n\
         (keyset cursor). Raw = the same SQL and arguments on a raw connection to the same file.\n\
         Worst p99 ratio: **{worst:.2}×** (target ≤ 1.5×).\n\n\
         | view | rows | raw median | raw p99 | store median | store p99 | ratio median | ratio p99 |\n\
         |---|---|---|---|---|---|---|---|\n{table}\n\
         *Time left* reads the stored due time (deadline, or arrival plus the SLA, kept by\n\
         triggers) through its index; *handled by one operator* reads that person's\n\
         requests (entered, approved first, claimed, decided) by index, then the page.\n"
    )
}
