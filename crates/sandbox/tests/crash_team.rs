//! The kill -9 harness on a team desk: two server processes
//! (`cashdesk-headless`, each with its own folder and port) on one
//! PostgreSQL database deliver Paykassma deposits while either or both are
//! killed at random points of the submission path (frozen before claiming,
//! after claiming, after sending, or after a random delay). The survivors
//! and the restarted take over what a killed server left, in doubt, a
//! lookup first. At the end of every run each deposit reached Paykassma
//! exactly once and the audit chain is intact.
//!
//! Runs: `CASHDESK_CRASH_TEAM_RUNS` (default 4); `CASHDESK_CRASH_SEED`
//! replays a printed seed. Servers beat every 200 ms here, so a killed
//! one's calls are taken over after 3.6 s instead of 90 s.

#[path = "../../core/tests/common/mod.rs"]
mod common;
#[path = "support/headless.rs"]
mod headless;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::SettleOutcome};
use cashdesk_core::intake;
use cashdesk_domain::{ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use cashdesk_store::Store;
use cashdesk_store::pg_test::TestDatabase;
use common::*;
use headless::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

const DEPOSITS: usize = 4;

struct Desk {
    db: TestDatabase,
    dirs: [tempfile::TempDir; 2],
    ports: [u16; 2],
    secrets: tempfile::TempDir,
    pk: RunningPaykassma,
    ids: Vec<RequestId>,
}

impl Desk {
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("CASHDESK_DATABASE_URL", self.db.url().to_owned()),
            (
                "CASHDESK_SECRETS_FILE",
                self.secrets
                    .path()
                    .join("secrets.json")
                    .display()
                    .to_string(),
            ),
            ("CASHDESK_SERVER_BEAT_MS", "200".into()),
        ]
    }

    fn config(&self) -> cashdesk_core::Config {
        let mut c = config(self.dirs[0].path());
        c.database_url = Some(self.db.url().to_owned());
        c.secrets_file = Some(self.secrets.path().join("secrets.json"));
        c
    }

    fn start(&self, server: usize, pause: Option<&str>) -> Headless {
        Headless::start_with(
            self.dirs[server].path(),
            self.ports[server],
            pause,
            &self.env(),
        )
    }

    fn statuses(&self, store: &Store) -> Vec<RequestStatus> {
        self.ids
            .iter()
            .map(|id| store.get_request(*id).unwrap().status)
            .collect()
    }

    /// How many calls Paykassma holds for each deposit.
    fn calls(&self, store: &Store) -> Vec<usize> {
        let paid = self.pk.payments();
        self.ids
            .iter()
            .map(|id| {
                let r = store.get_request(*id).unwrap();
                paid.iter()
                    .filter(|p| p.custom_id == r.merchant_ref.0)
                    .count()
            })
            .collect()
    }
}

/// The deposits approved, their outbox rows committed; no server running.
async fn decided() -> Desk {
    let pk = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(200),
        postback_backoff: Duration::from_millis(200),
        ..Default::default()
    })
    .await
    .unwrap();
    let desk = Desk {
        db: TestDatabase::create().expect("a test PostgreSQL (scripts/test-pg.sh)"),
        dirs: [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()],
        ports: [free_port(), free_port()],
        secrets: tempfile::tempdir().unwrap(),
        pk,
        ids: Vec::new(),
    };
    let app = Cashdesk::open(desk.config()).unwrap();
    act_as(&app, "Rina");
    let acc = add_paykassma_account(&app, &desk.pk, "Paykassma");
    // Postbacks reach the first server (a desk's public address).
    desk.pk.set_postback_url(Some(format!(
        "http://127.0.0.1:{}/postbacks/paykassma/{acc}",
        desk.ports[0]
    )));
    let mut ids = Vec::new();
    for i in 0..DEPOSITS {
        let mut r = intake_request(
            &uuid::Uuid::new_v4().simple().to_string(),
            RequestKind::Deposit,
            ProviderKind::Paykassma,
            Some(acc),
            ("bkash", "500", "BDT"),
        );
        r.end_user_ref = format!("usr_team_{i}");
        r.trx_id = Some(format!("TK{i:08}"));
        let (rec, _) = intake::submit(&app, &r).unwrap();
        api::requests::approve(&app, rec.id).unwrap();
        ids.push(rec.id);
    }
    Desk { ids, ..desk }
}

/// Both servers run; `victim` dies as `kill` says (started first, so a
/// pause point is reached before the other server takes every call), the
/// other after a random while too.
async fn crash(desk: &Desk, victim: usize, kill: Kill, rng: &mut StdRng) {
    let doomed = match kill {
        Kill::Paused(point) => desk.start(victim, Some(point)),
        Kill::After(_) => desk.start(victim, None),
    };
    let other = desk.start(1 - victim, None);
    if let Kill::After(delay) = kill {
        tokio::time::sleep(delay).await;
    }
    doomed.kill9();
    tokio::time::sleep(Duration::from_millis(rng.random_range(0..300))).await;
    other.kill9();
    Store::connect(desk.db.url())
        .unwrap()
        .verify_audit()
        .expect("audit chain intact after a kill");
}

/// Restarts both until every deposit is completed; a call that provably
/// never reached Paykassma is settled "not received" by a person (the
/// desk then sends it again), as a supervisor would.
async fn settle(desk: &Desk, what: &str) {
    let store = Store::connect(desk.db.url()).unwrap();
    for _ in 0..4 {
        let servers = [desk.start(0, None), desk.start(1, None)];
        let outcome = tokio::time::timeout(Duration::from_secs(40), async {
            loop {
                let now = desk.statuses(&store);
                assert!(
                    !now.contains(&RequestStatus::Pending),
                    "{what}: a decision was lost: {now:?}"
                );
                if now.iter().all(|s| *s == RequestStatus::Completed) {
                    return true;
                }
                let calls = desk.calls(&store);
                if now
                    .iter()
                    .zip(&calls)
                    .any(|(s, n)| *s == RequestStatus::OutcomeUnknown && *n == 0)
                {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        drop(servers);
        match outcome {
            Ok(true) => return,
            Ok(false) => {
                let app = Cashdesk::open(desk.config()).unwrap();
                act_as(&app, "Rina");
                let (now, calls) = (desk.statuses(&store), desk.calls(&store));
                for (i, id) in desk.ids.iter().enumerate() {
                    if now[i] == RequestStatus::OutcomeUnknown && calls[i] == 0 {
                        api::requests::settle(
                            &app,
                            *id,
                            SettleOutcome::NotReceived,
                            "the provider's panel shows no such payment",
                        )
                        .unwrap();
                    }
                }
            }
            Err(_) => panic!("{what}: not settled in 40 s: {:?}", desk.statuses(&store)),
        }
    }
    panic!(
        "{what}: not settled after 3 restarts: {:?}",
        desk.statuses(&store)
    );
}

fn runs() -> usize {
    headless::env_number("CASHDESK_CRASH_TEAM_RUNS", 4)
}

#[tokio::test(flavor = "multi_thread")]
async fn random_kills_of_two_servers_on_one_database_never_duplicate_or_lose_a_deposit() {
    let seed = headless::crash_seed();
    eprintln!(
        "team crash harness: {} runs, CASHDESK_CRASH_SEED={seed}",
        runs()
    );
    let mut rng = StdRng::seed_from_u64(seed);
    for n in 0..runs() {
        let desk = decided().await;
        let victim = rng.random_range(0..2);
        let first = pick(&mut rng);
        crash(&desk, victim, first, &mut rng).await;
        let second = rng.random_bool(0.5).then(|| {
            (
                rng.random_range(0..2),
                Kill::After(Duration::from_millis(rng.random_range(0..300))),
            )
        });
        if let Some((v, k)) = second {
            crash(&desk, v, k, &mut rng).await;
        }
        let what =
            format!("seed {seed} run {n}: killed server {victim} {first:?}, then {second:?}");
        settle(&desk, &what).await;
        let store = Store::connect(desk.db.url()).unwrap();
        assert_eq!(
            desk.calls(&store),
            vec![1; DEPOSITS],
            "{what}: each deposit reached Paykassma exactly once"
        );
        store.verify_audit().expect("audit chain intact");
        eprintln!("{what}: each deposit sent exactly once");
    }
}
