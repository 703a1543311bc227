//! Approve to durable commit against one bare fsync on the same disk, in
//! two rhythms: back to back (a burst, as a script or bulk import would
//! decide) and paced like the fastest agent (one decision every `PACE`;
//! a person takes seconds). The fsync reference is paced the same way:
//! an idle machine wakes slower, and both sides pay for it.

use cashdesk_domain::{Actor, RequestId};
use cashdesk_store::Store;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Time between decisions in the paced runs.
const PACE: Duration = Duration::from_millis(50);

/// One rhythm's figures: (median, p99) of the fsync and of approve.
pub struct Rhythm {
    pub fsync: (Duration, Duration),
    pub approve: (Duration, Duration),
    pub runs: usize,
}

fn approve_all(store: &Store, ids: &[RequestId], pace: Duration) -> Vec<Duration> {
    let actor = Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "bench",
    );
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        std::thread::sleep(pace);
        let t = Instant::now();
        store
            .approve(
                *id,
                &actor,
                "zexabit.deposit",
                &serde_json::json!({"amount": 500}),
            )
            .unwrap();
        out.push(t.elapsed());
    }
    out
}

fn fsync_all(dir: &Path, runs: usize, pace: Duration) -> Vec<Duration> {
    let mut f = std::fs::File::create(dir.join("fsync.bin")).unwrap();
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        std::thread::sleep(pace);
        let t = Instant::now();
        f.write_all(&[7u8; 4096]).unwrap();
        f.sync_data().unwrap();
        out.push(t.elapsed());
    }
    out
}

/// Approves `ids` (pending requests), the first half back to back, the
/// second paced.
pub fn measure(store: &Store, dir: &Path, ids: &[RequestId]) -> [Rhythm; 2] {
    let (burst, paced) = ids.split_at(ids.len() / 2);
    let one = |ids: &[RequestId], pace| Rhythm {
        approve: super::stats(approve_all(store, ids, pace)),
        fsync: super::stats(fsync_all(dir, ids.len(), pace)),
        runs: ids.len(),
    };
    [one(burst, Duration::ZERO), one(paced, PACE)]
}

/// The section of docs/BENCHMARKS.md.
pub fn markdown(r: &[Rhythm; 2]) -> String {
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let mut s = String::from(
        "## Approve: decision + outbox row + history + audit, durably committed\n\n\
         | rhythm | runs | bare `fsync` of 4 KiB, median | p99 | `Store::approve`, median | p99 | **ratio** median | **ratio** p99 |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for (name, x) in [
        ("back to back", &r[0]),
        (&*format!("one every {} ms", PACE.as_millis()), &r[1]),
    ] {
        s += &format!(
            "| {name} | {} | {} | {} | {} | {} | **{:.2}×** | **{:.2}×** |\n",
            x.runs,
            super::us(x.fsync.0),
            super::us(x.fsync.1),
            super::us(x.approve.0),
            super::us(x.approve.1),
            ratio(x.approve.0, x.fsync.0),
            ratio(x.approve.1, x.fsync.1),
        );
    }
    s += "\nTarget ≤ 2×, median and p99. `Store::approve` is `BEGIN IMMEDIATE` … \
          `COMMIT` with `synchronous=FULL`: one fsync of the log, about 31 log \
          pages (the request's seven changed index entries, history, audit, \
          decision and outbox rows with their indexes). Checkpoints run on the \
          store's own thread (`checkpoint.rs`) once 1,000 pages were added, in \
          a lull of 10 ms without a commit unless 8,000 wait: back to back \
          there is no lull, so the log grows (each commit also extends the \
          file) until one of those marks.\n\n";
    s
}
