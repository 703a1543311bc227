//! The randomised kill -9 harness: the real core process is killed at
//! random points of the submission path (frozen before claiming, after
//! claiming, after sending; or after a random delay, once or twice) while
//! it delivers one decision to each of the four providers' simulators over
//! real HTTP. After every kill: `PRAGMA integrity_check` ok and the audit
//! chain intact; at the end of every run: each decision reached its
//! provider exactly once (no duplicate effect, none lost). Each run draws
//! one of the 128 combinations of the answers the simulators give to what
//! the documents leave open ([`Unstated::all`]); the figures per answer
//! are printed.
//!
//! Runs: `CASHDESK_CRASH_RUNS` (default 10, small for CI; e.g. 300 on
//! demand); `CASHDESK_CRASH_SEED` replays a printed seed.

#[path = "../../core/tests/common/mod.rs"]
mod common;
#[path = "support/headless.rs"]
mod headless;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake;
use cashdesk_domain::{ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, RunningCashWeb};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use cashdesk_sim::zexabit::RunningZexabit;
use cashdesk_sim::zimo_pagos::{RunningZimoPagos, ZimoPagosSim, ZimoPagosSimConfig};
use cashdesk_sim::{Credit, Unstated};
use cashdesk_store::Store;
use common::*;
use headless::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::Duration;

struct Run {
    dir: tempfile::TempDir,
    port: u16,
    zx: RunningZexabit,
    pk: RunningPaykassma,
    zp: RunningZimoPagos,
    cw: RunningCashWeb,
    cw_txn: String,
    /// Zexabit deposit, Paykassma withdrawal, Zimo-pagos cashout, CashWeb cancel.
    ids: [RequestId; 4],
}

/// Four decisions committed with their outbox rows; the app not running.
async fn decided() -> Run {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    common::act_as(&app, "Rina");

    let zx = zexabit_sim(None).await;
    let zx_acc = add_zexabit_account(&app, &zx);
    zx.set_callback_url(Some(format!(
        "http://127.0.0.1:{port}/webhooks/zexabit/{zx_acc}"
    )));
    let user = zexabit_user(&zx).await;
    let mut r = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        RequestKind::Deposit,
        ProviderKind::Zexabit,
        Some(zx_acc),
        ("", "", ""),
    );
    r.method = "bkash".into();
    r.amount = "500".into();
    r.currency = "BDT".into();
    r.provider_user_id = Some(user);
    r.trx_id = Some("TRX8B7K9M2".into());
    r.agent_number = Some("01712345678".into());
    let zx_id = intake::submit(&app, &r).unwrap().0.id;

    let pk = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(200),
        postback_backoff: Duration::from_millis(200),
        ..Default::default()
    })
    .await
    .unwrap();
    let pk_acc = add_paykassma_account(&app, &pk, "Paykassma");
    pk.set_postback_url(Some(format!(
        "http://127.0.0.1:{port}/postbacks/paykassma/{pk_acc}"
    )));
    let mut r = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        RequestKind::Withdrawal,
        ProviderKind::Paykassma,
        Some(pk_acc),
        ("", "", ""),
    );
    r.method = "bkash".into();
    r.amount = "900".into();
    r.currency = "BDT".into();
    r.details =
        serde_json::json!({"account_number": "01712345678", "account_email": "a@example.com"});
    let pk_id = intake::submit(&app, &r).unwrap().0.id;

    let zp = ZimoPagosSim::start(ZimoPagosSimConfig {
        deliver_after: Duration::from_millis(100),
        settle_after: Duration::from_millis(200),
        ..Default::default()
    })
    .await
    .unwrap();
    let zp_acc = add_zimo_account(&app, &zp, "Zimo");
    let mut r = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        RequestKind::Withdrawal,
        ProviderKind::ZimoPagos,
        Some(zp_acc),
        ("", "", ""),
    );
    r.method = "clabe".into();
    r.amount = "1500.50".into();
    r.currency = "MXN".into();
    r.details = serde_json::json!({"country": "MX", "document_id": "GOGM800101MDFNNR09",
        "beneficiary_name": "María", "bank_account": "002010077777777771"});
    let zp_id = intake::submit(&app, &r).unwrap().0.id;

    let cw = CashWebSim::start(CashWebSimConfig::default())
        .await
        .unwrap();
    let cw_acc = add_cashweb_account(&app, &cw);
    let cw_txn = cw
        .create_as_customer(&cashdesk_cashweb::CreateTransactionRequest::direct(
            "order-1",
            rust_decimal::Decimal::from(161_500),
            "usdt",
            "trc20",
        ))
        .unwrap()
        .id;
    keychain_retry(|| api::requests::sync_cashweb(&app))
        .await
        .unwrap();
    let cw_id = app
        .store()
        .find_by_provider_txn(cw_acc, &cw_txn)
        .unwrap()
        .expect("the CashWeb transaction is in the queue")
        .id;

    for id in [zx_id, pk_id, zp_id] {
        api::requests::approve(&app, id).unwrap();
    }
    api::requests::reject(&app, cw_id, "customer cancelled at the counter")
        .await
        .unwrap();
    Run {
        dir,
        port,
        zx,
        pk,
        zp,
        cw,
        cw_txn,
        ids: [zx_id, pk_id, zp_id, cw_id],
    }
}

/// Where the process dies.
async fn crash(dir: &Path, port: u16, kill: Kill) {
    match kill {
        Kill::Paused(point) => Headless::start(dir, port, Some(point)).kill9(),
        Kill::After(delay) => {
            let h = Headless::start(dir, port, None);
            tokio::time::sleep(delay).await;
            h.kill9();
        }
    }
    integrity_ok(dir);
}

fn statuses(dir: &Path, ids: &[RequestId]) -> Vec<RequestStatus> {
    let store = Store::open(&dir.join("cashdesk.db")).unwrap();
    ids.iter()
        .map(|id| store.get_request(*id).unwrap().status)
        .collect()
}

/// Where each decision ends: the Zexabit deposit needs a person when the
/// customer paid less than asked.
fn done(u: &Unstated) -> [RequestStatus; 4] {
    let deposit = match u.credit {
        Credit::Requested => RequestStatus::Completed,
        Credit::Less => RequestStatus::AmountDiffers,
    };
    [
        deposit,
        RequestStatus::Completed,
        RequestStatus::Completed,
        RequestStatus::Rejected,
    ]
}

/// The amount each provider settled, as the store has it.
fn settled(dir: &Path, ids: &[RequestId]) -> Vec<Option<String>> {
    let store = Store::open(&dir.join("cashdesk.db")).unwrap();
    ids.iter()
        .map(|id| {
            let r = store.get_request(*id).unwrap();
            r.settled.map(|m| m.display())
        })
        .collect()
}

/// Which decisions are outcome unknown although their provider holds
/// nothing: a supervisor looking at the provider's panel would settle them
/// "not received". (The app itself never resends them: no lookup it can
/// make proves absence for Zexabit, Paykassma or Zimo-pagos.)
fn never_arrived(run: &Run, now: &[RequestStatus]) -> Vec<RequestId> {
    let held = [
        run.zx.deposits().len(),
        run.pk.withdrawals().len(),
        run.zp.cashouts().len(),
    ];
    (0..3)
        .filter(|&i| now[i] == RequestStatus::OutcomeUnknown && held[i] == 0)
        .map(|i| run.ids[i])
        .collect()
}

/// Whether the Zexabit deposit is outcome unknown although Zexabit has
/// settled it and its webhook reached us but could not be matched by
/// itself (the customer paid another amount), so a supervisor picks it
/// from the candidates. Until the webhook has arrived (Zexabit redelivers
/// it after a kill), there is nothing to pick: the run waits for it.
fn unmatched_deposit(run: &Run, now: &[RequestStatus]) -> bool {
    let received = || {
        let db = rusqlite::Connection::open_with_flags(
            run.dir.path().join("cashdesk.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        db.query_row(
            "SELECT COUNT(*) FROM inbound_events WHERE unmatched = 1",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    };
    now[0] == RequestStatus::OutcomeUnknown
        && run
            .zx
            .deposits()
            .iter()
            .any(|d| d.status != cashdesk_zexabit::Status::Pending)
        && received()
}

/// Restarts until every decision is settled; a call that may have gone
/// out stays "outcome unknown" until the provider's word (webhook,
/// postback, status) settles it; one that provably never arrived is
/// settled "not received" by a person, and a webhook that could not be
/// matched is matched by a person, as a supervisor would.
async fn settle(run: &Run, u: &Unstated, what: &str) {
    let dir = run.dir.path();
    for _ in 0..4 {
        let h = Headless::start(dir, run.port, None);
        let outcome = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                let now = statuses(dir, &run.ids);
                assert!(
                    !now.contains(&RequestStatus::Pending),
                    "a decision was lost: {now:?}"
                );
                if now == done(u) {
                    return true;
                }
                if !never_arrived(run, &now).is_empty() || unmatched_deposit(run, &now) {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        drop(h);
        match outcome {
            Ok(true) => return,
            Ok(false) => {
                let desk = Cashdesk::open(config(dir)).unwrap();
                common::act_as(&desk, "Rina");
                for id in never_arrived(run, &statuses(dir, &run.ids)) {
                    api::requests::settle(
                        &desk,
                        id,
                        SettleOutcome::NotReceived,
                        "the provider's panel shows no such payment",
                    )
                    .unwrap();
                }
                if let Some(c) = api::reconcile::candidates(&desk, run.ids[0])
                    .unwrap()
                    .into_iter()
                    .find(|c| c.fits.iter().any(|f| f == "same user"))
                {
                    api::reconcile::settle_with_candidate(&desk, run.ids[0], &c.event_key).unwrap();
                }
            }
            Err(_) => panic!("{what}: not settled in 30 s: {:?}", statuses(dir, &run.ids)),
        }
    }
    panic!(
        "{what}: not settled after 3 restarts: {:?} (want {:?})",
        statuses(dir, &run.ids),
        done(u)
    );
}

fn runs() -> usize {
    headless::env_number("CASHDESK_CRASH_RUNS", 10)
}

#[tokio::test(flavor = "multi_thread")]
async fn random_kills_across_four_providers_never_duplicate_or_lose_a_decision() {
    let seed = headless::crash_seed();
    eprintln!("crash harness: {} runs, CASHDESK_CRASH_SEED={seed}", runs());
    let mut rng = StdRng::seed_from_u64(seed);
    let answers = Unstated::all(Duration::from_millis(700));
    let mut per_answer = std::collections::BTreeMap::<String, usize>::new();
    let mut combinations = std::collections::HashSet::new();
    for n in 0..runs() {
        // Any answers to what the documents leave open, in any combination.
        let u = answers[rng.random_range(0..answers.len())];
        let run = decided().await;
        run.zx.set_unstated(u);
        run.pk.set_unstated(u);
        run.zp.set_unstated(u);
        run.cw.set_unstated(u);
        let first = pick(&mut rng);
        crash(run.dir.path(), run.port, first).await;
        let second = rng
            .random_bool(0.5)
            .then(|| Kill::After(Duration::from_millis(rng.random_range(0..300))));
        if let Some(k) = second {
            crash(run.dir.path(), run.port, k).await;
        }
        let what = format!("seed {seed} run {n} ({u}): killed {first:?} then {second:?}");
        settle(&run, &u, &what).await;
        assert_eq!(run.zx.deposits().len(), 1, "{what}: Zexabit deposits");
        assert_eq!(
            run.pk.withdrawals().len(),
            1,
            "{what}: Paykassma withdrawals"
        );
        assert_eq!(run.zp.cashouts().len(), 1, "{what}: Zimo-pagos cashouts");
        assert_eq!(
            run.cw.transaction(&run.cw_txn).unwrap().status.as_str(),
            "cancelled",
            "{what}: CashWeb"
        );
        let deposit = match u.credit {
            Credit::Requested => "500.00 BDT",
            Credit::Less => "450.00 BDT",
        };
        assert_eq!(
            settled(run.dir.path(), &run.ids[..1]),
            [Some(deposit.to_owned())],
            "{what}: the amount Zexabit settled"
        );
        integrity_ok(run.dir.path());
        for a in u.answers() {
            *per_answer.entry(a).or_default() += 1;
        }
        combinations.insert(u.to_string());
        eprintln!("{what}: each provider got its call exactly once");
    }
    for (a, n) in per_answer {
        eprintln!("crash harness: {n} runs exactly-once with {a}");
    }
    eprintln!(
        "crash harness: {} of {} combinations played",
        combinations.len(),
        answers.len()
    );
}
