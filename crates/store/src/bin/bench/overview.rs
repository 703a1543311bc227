//! The supervisor's overview at a million requests: every store read one
//! refresh makes (depth now, past SLA, second approvals, depth samples,
//! the range's decisions), for a day and a week, against the queue's
//! first page as the yardstick measured in the same run.

use cashdesk_domain::RequestStatus;
use cashdesk_store::Store;
use std::time::{Duration, Instant};

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// One decision per decided request (90 s to 10 min after it arrived, by
/// one of 20 agents), and a week of depth samples every 5 minutes.
pub fn generate(path: &std::path::Path, end_ms: i64) {
    let mut c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = c.transaction().unwrap();
    tx.execute_batch(&format!(
        "INSERT INTO decisions (request_id, operator_id, operator_name, action, to_status, provider,
            account_id, kind, method, amount, currency, reason, waited_ms, handled_ms, decided_ms)
         SELECT id, printf('00000000-0000-7000-8000-%012d', seq % 20), 'agent ' || (seq % 20),
            CASE WHEN status = 'rejected' THEN 'reject' ELSE 'approve' END,
            CASE WHEN status = 'rejected' THEN 'rejected' ELSE 'approved' END,
            provider, account_id, kind, method, amount, currency,
            CASE WHEN status = 'rejected' THEN 'reason ' || (seq % 12) END,
            90000 + (seq * 7919) % 510000, 30000 + (seq * 104729) % 300000,
            created_ms + 90000 + (seq * 7919) % 510000
         FROM requests WHERE status != 'pending';
         INSERT INTO depth_samples (at_ms, provider, kind, method, pending)
         WITH RECURSIVE t(at) AS (SELECT {start} UNION ALL SELECT at + 300000 FROM t WHERE at < {end_ms})
         SELECT at, p.provider, k.kind, 'bkash', 100 + (at / 300000) % 50
         FROM t, (SELECT 'zexabit' provider UNION SELECT 'paykassma' UNION SELECT 'zimo_pagos'
                  UNION SELECT 'cashweb') p, (SELECT 'deposit' kind UNION SELECT 'withdrawal') k;",
        start = end_ms - 7 * DAY
    ))
    .unwrap();
    tx.commit().unwrap();
    c.execute_batch("ANALYZE").unwrap();
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (p(0.5), p(0.99))
}

/// One refresh's reads over `[end - span, end)`; returns the decisions read.
fn refresh(store: &Store, end_ms: i64, span: i64) -> usize {
    let since = end_ms - span;
    store.depth_now().unwrap();
    store.pending_before(end_ms - 15 * MINUTE).unwrap();
    store
        .count_status(RequestStatus::AwaitingSecondApproval, 100_000)
        .unwrap();
    store.depth_over_time(since).unwrap();
    store.rejection_reasons(since, end_ms).unwrap();
    let (_, times) = store.decision_figures(since, end_ms).unwrap();
    times.iter().map(|t| t.decided as usize).sum()
}

/// The section of docs/BENCHMARKS.md, with `page` the queue's first page
/// median measured in the same run.
pub fn measure(store: &Store, end_ms: i64, iterations: usize, page: Duration) -> String {
    let mut rows = String::new();
    for (name, span) in [("day", DAY), ("week", 7 * DAY)] {
        let mut t = Vec::new();
        let mut n = 0;
        for _ in 0..iterations.clamp(1, 100) {
            let s = Instant::now();
            n = refresh(store, end_ms, span);
            t.push(s.elapsed());
        }
        let (med, p99) = stats(t);
        rows.push_str(&format!(
            "| a {name} ({n} decisions) | {:.2} ms | {:.2} ms | {:.0}× |\n",
            med.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            med.as_secs_f64() / page.as_secs_f64()
        ));
    }
    format!(
        "\n## Overview: one refresh's reads (depth now, past SLA, second approvals, depth samples, the range's decisions)\n\n\
         | range | median | p99 | × queue first page |\n|---|---|---|---|\n{rows}\n\
         The range's decisions are read from a covering index on `decisions`\n\
         (time, operator, provider, time to decide: no row is read) and counted\n\
         in one pass; rejection reasons come from a partial index on rejections.\n\
         The window refreshes at most every 2 s while decisions land.\n"
    )
}
