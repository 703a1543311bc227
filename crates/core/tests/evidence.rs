//! Money settles on evidence (DESIGN.md section 1): after an ambiguous
//! failure a call is sent again only on a person's word, never because a
//! lookup the provider's document does not define for recovery found
//! nothing. Each test runs under every answer the simulators can give to
//! what the documents leave open (a repeated id refused or paid as new, a
//! lookup that lags), since the app must be safe under all of them.

mod common;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake::{self, IntakeRequest};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{AccountId, ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use cashdesk_sim::zimo_pagos::{RunningZimoPagos, ZimoPagosSim, ZimoPagosSimConfig};
use cashdesk_sim::{Faults, Unstated};
use common::*;
use std::time::{Duration, Instant};

/// Long enough that the first lookups of a test see nothing.
const LAG: Duration = Duration::from_millis(1500);

fn desk_config(dir: &std::path::Path) -> Config {
    Config {
        // The poller keeps asking on its own, as in the app.
        poll_interval: Duration::from_millis(250),
        ..config(dir)
    }
}

async fn zimo(u: Unstated) -> (tempfile::TempDir, Cashdesk, RunningZimoPagos, AccountId) {
    let dir = tempfile::tempdir().unwrap();
    let sim = ZimoPagosSim::start(ZimoPagosSimConfig {
        deliver_after: Duration::from_millis(200),
        settle_after: Duration::from_millis(300),
        ..Default::default()
    })
    .await
    .unwrap();
    sim.set_unstated(u);
    let app = Cashdesk::start(desk_config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    let account = add_zimo_account(&app, &sim, "Zimo MX");
    (dir, app, sim, account)
}

fn cashout(app: &Cashdesk, account: AccountId, n: u32) -> RequestId {
    let mut req = intake_request(
        &format!("ev-zp-{n}"),
        RequestKind::Withdrawal,
        ProviderKind::ZimoPagos,
        Some(account),
        ("clabe", "1500.50", "MXN"),
    );
    req.end_user_name = Some("María González".into());
    req.details = serde_json::json!({"country": "MX", "document_id": "GOGM800101MDFNNR09",
        "beneficiary_name": "María", "beneficiary_lastname": "González",
        "bank_account": "002010077777777771"});
    intake::submit(app, &req).unwrap().0.id
}

async fn paykassma(u: Unstated) -> (tempfile::TempDir, Cashdesk, RunningPaykassma) {
    let dir = tempfile::tempdir().unwrap();
    // No postback URL: only lookups can tell what happened.
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(600),
        ..Default::default()
    })
    .await
    .unwrap();
    sim.set_unstated(u);
    let app = Cashdesk::start(desk_config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    add_paykassma_account(&app, &sim, "Paykassma BD");
    (dir, app, sim)
}

fn pk_withdrawal(app: &Cashdesk, n: u32) -> RequestId {
    let account = api::accounts::list_accounts(app).unwrap()[0].id;
    let mut req: IntakeRequest = intake_request(
        &format!("ev-pk-{n}"),
        RequestKind::Withdrawal,
        ProviderKind::Paykassma,
        Some(account),
        ("bkash", "900", "BDT"),
    );
    req.details =
        serde_json::json!({"account_number": "01712345678", "account_email": "rahim@example.com"});
    intake::submit(app, &req).unwrap().0.id
}

/// Approves with the answer lost after the provider committed the call.
/// Every answer, with the call's answer lost before any push was sent:
/// the premise of a lost answer (a push that overtakes it is the case of
/// `pushes.rs`, `amounts.rs` and the crash harness).
fn answer_lost_first(lag: Duration) -> Vec<Unstated> {
    let mut all: Vec<Unstated> = Unstated::each(lag)
        .into_iter()
        .map(|u| Unstated {
            push_order: cashdesk_sim::PushOrder::AnswerFirst,
            ..u
        })
        .collect();
    all.dedup();
    all
}

async fn approve_and_lose_answer(app: &Cashdesk, id: RequestId, set: impl Fn(Faults)) {
    set(Faults {
        drop_after_commit: 1,
        ..Default::default()
    });
    api::requests::approve(app, id).unwrap();
    // The answer was lost: the request went through *outcome unknown*.
    // Where the provider pushes at once and the lookup has no lag, it may
    // already have moved on by the time this looks, so the history is
    // what is checked, not the status at this instant.
    wait_for(
        "the lost answer to make the outcome unknown",
        Duration::from_secs(20),
        || {
            let d = api::requests::get_request(app, id).unwrap();
            d.history
                .iter()
                .any(|h| h.to == RequestStatus::OutcomeUnknown)
                .then_some(())
        },
    );
}

/// Asks until the request is final, checking `sent` never exceeds one.
async fn until_final(app: &Cashdesk, id: RequestId, sent: impl Fn() -> usize) -> RequestDetail {
    let start = Instant::now();
    loop {
        assert!(sent() <= 1, "paid twice");
        let d = api::requests::check_with_provider(app, id).await.unwrap();
        assert_ne!(
            d.summary.status,
            RequestStatus::Approved,
            "sent again without evidence: {:?}",
            d.history
        );
        if d.summary.status.is_terminal() {
            return d;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never settled: {:?}",
            d.history
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_zimo_pagos_cashout_is_looked_up_never_resent_under_every_answer() {
    for u in answer_lost_first(LAG) {
        let (_dir, app, sim, account) = zimo(u).await;
        let id = cashout(&app, account, 1);
        approve_and_lose_answer(&app, id, |f| sim.set_faults(f)).await;
        let first = api::requests::check_with_provider(&app, id).await.unwrap();
        assert!(!first.lookups.is_empty(), "{u}: the lookup is recorded");
        if !u.lookup_lag.is_zero() {
            assert_eq!(
                first.summary.status,
                RequestStatus::OutcomeUnknown,
                "{u}: not found proves nothing: {:?}",
                first.history
            );
            assert!(
                first.lookups[0].answer.contains("proves nothing"),
                "{u}: {:?}",
                first.lookups
            );
        }
        let done = until_final(&app, id, || sim.cashouts().len()).await;
        assert_eq!(done.summary.status, RequestStatus::Completed, "{u}");
        assert_eq!(sim.cashouts().len(), 1, "{u}: paid exactly once");
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_paykassma_withdrawal_stays_unknown_until_its_postback_is_found() {
    for u in answer_lost_first(LAG) {
        let (_dir, app, sim) = paykassma(u).await;
        let id = pk_withdrawal(&app, 1);
        approve_and_lose_answer(&app, id, |f| sim.set_faults(f)).await;
        // Not processed yet, so no postback: that proves nothing.
        let first = api::requests::check_with_provider(&app, id).await.unwrap();
        assert_eq!(
            first.summary.status,
            RequestStatus::OutcomeUnknown,
            "{u}: {:?}",
            first.history
        );
        assert!(
            first.lookups.iter().any(
                |l| l.question.contains("withdrawal_id") && l.answer.contains("proves nothing")
            ),
            "{u}: {:?}",
            first.lookups
        );
        let done = until_final(&app, id, || sim.withdrawals().len()).await;
        assert_eq!(done.summary.status, RequestStatus::Completed, "{u}");
        assert_eq!(sim.withdrawals().len(), 1, "{u}: paid exactly once");
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_poller_keeps_looking_and_a_person_orders_the_resend_with_the_same_reference() {
    for u in answer_lost_first(Duration::from_secs(3600)) {
        if u.lookup_lag.is_zero() {
            continue; // found at once: nothing for a person to decide
        }
        let (_dir, app, sim, account) = zimo(u).await;
        let id = cashout(&app, account, 2);
        approve_and_lose_answer(&app, id, |f| sim.set_faults(f)).await;
        let asked = wait_for("the poller to ask again", Duration::from_secs(10), || {
            let d = api::requests::get_request(&app, id).unwrap();
            d.lookups.iter().any(|l| l.times >= 3).then_some(d)
        });
        assert_eq!(asked.summary.status, RequestStatus::OutcomeUnknown, "{u}");
        assert_eq!(asked.lookups.len(), 1, "{u}: the same answer is folded");
        assert_eq!(sim.cashouts().len(), 1, "{u}: never resent on its own");
        let merchant_ref = asked.merchant_ref.0.clone();
        api::requests::settle(
            &app,
            id,
            SettleOutcome::NotReceived,
            "checked the panel: none",
        )
        .unwrap();
        wait_for("the ordered resend", Duration::from_secs(10), || {
            let d = api::requests::get_request(&app, id).unwrap();
            (d.summary.status != RequestStatus::Approved
                && d.summary.status != RequestStatus::Submitting)
                .then_some(())
        });
        for c in sim.cashouts() {
            assert_eq!(c.request.external_id, merchant_ref, "{u}: same reference");
        }
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn only_an_unknown_outcome_can_be_settled_by_a_person() {
    let (_dir, app, sim, account) = zimo(Unstated::default()).await;
    let pending = cashout(&app, account, 3);
    let err = api::requests::settle(&app, pending, SettleOutcome::Completed, "paid").unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed, "{err:?}");
    // While its call is on the way (sending), nobody may settle it.
    let sending = cashout(&app, account, 6);
    sim.set_faults(Faults {
        hang_after_commit: Some(Duration::from_secs(2)),
        ..Default::default()
    });
    api::requests::approve(&app, sending).unwrap();
    wait_status(&app, sending, RequestStatus::Submitting).await;
    for outcome in [SettleOutcome::Completed, SettleOutcome::NotReceived] {
        let err = api::requests::settle(&app, sending, outcome, "guess").unwrap_err();
        assert_eq!(err.code, ErrorCode::NotAllowed, "{err:?}");
    }
    sim.set_faults(Faults::default());
    // Accepted: it may be completed by Zimo-pagos's push a moment later,
    // so the history is checked, not the status at this instant.
    wait_for("the held answer to arrive", Duration::from_secs(20), || {
        api::requests::get_request(&app, sending)
            .unwrap()
            .history
            .iter()
            .any(|h| h.to == RequestStatus::AwaitingProvider)
            .then_some(())
    });
    let accepted = cashout(&app, account, 4);
    api::requests::approve(&app, accepted).unwrap();
    wait_status(&app, accepted, RequestStatus::AwaitingProvider).await;
    let err =
        api::requests::settle(&app, accepted, SettleOutcome::NotReceived, "resend").unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAllowed, "{err:?}");
    assert!(
        err.message.contains("outcome is unknown"),
        "{}",
        err.message
    );
    let d = wait_status(&app, accepted, RequestStatus::Completed).await;
    assert_eq!(d.summary.status, RequestStatus::Completed);
    assert_eq!(
        sim.cashouts().len(),
        2,
        "each approved one sent once, the pending one never"
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_cashout_is_shown_with_what_to_do() {
    let (_dir, app, sim, account) = zimo(Unstated::default()).await;
    let id = cashout(&app, account, 5);
    api::requests::approve(&app, id).unwrap();
    wait_status(&app, id, RequestStatus::AwaitingProvider).await;
    let held = sim.cashouts()[0].cashout_id;
    // Someone holds it in the merchant panel before it reaches the bank.
    assert!(sim.force_status(held, cashdesk_zimo_pagos::wire::Status::OnHold));
    let d = api::requests::check_with_provider(&app, id).await.unwrap();
    assert_eq!(d.summary.status, RequestStatus::AwaitingProvider);
    let line = d.provider_status.unwrap_or_default();
    assert!(
        line.contains("on hold") && line.contains("merchant panel"),
        "{line}"
    );
    // Released: delivered to the bank, then paid.
    assert!(sim.release_hold(held));
    let done = wait_status(&app, id, RequestStatus::Completed).await;
    assert_eq!(done.summary.status, RequestStatus::Completed);
    assert_eq!(sim.cashouts().len(), 1);
    app.shutdown().await;
}
