//! kill -9 of the real core process (cashdesk-headless) at each point
//! between the approval commit and the recorded provider answer, against
//! the Zexabit simulator over real HTTP. Zexabit has no lookup by our
//! reference: a call that may have gone out is never sent again.

#[path = "../../core/tests/common/mod.rs"]
mod common;
#[path = "support/headless.rs"]
mod headless;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::SettleOutcome};
use cashdesk_core::intake::{self, IntakeRequest};
use cashdesk_domain::{ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_store::Store;
use common::*;
use headless::*;
use std::time::Duration;

struct Scenario {
    dir: tempfile::TempDir,
    port: u16,
    sim: cashdesk_sim::zexabit::RunningZexabit,
    id: RequestId,
}

/// An approved deposit whose call sits in the outbox, app not running.
async fn approved_deposit() -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    let sim = zexabit_sim(None).await;
    let account = add_zexabit_account(&app, &sim);
    sim.set_callback_url(Some(format!(
        "http://127.0.0.1:{port}/webhooks/zexabit/{account}"
    )));
    let user = zexabit_user(&sim).await;
    let (rec, _) = intake::submit(
        &app,
        &IntakeRequest {
            intake_ref: "op-1".into(),
            kind: RequestKind::Deposit,
            provider: ProviderKind::Zexabit,
            account_id: Some(account),
            method: "bkash".into(),
            amount: "500".into(),
            currency: "BDT".into(),
            end_user_ref: "usr_abc123".into(),
            end_user_name: None,
            provider_user_id: Some(user),
            trx_id: Some("TRX8B7K9M2".into()),
            sender: None,
            agent_number: Some("01712345678".into()),
            destination: None,
            details: serde_json::json!({}),
            screenshot: None,
        },
    )
    .unwrap();
    api::requests::approve(&app, rec.id).unwrap();
    Scenario {
        dir,
        port,
        sim,
        id: rec.id,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_before_the_call_is_claimed_it_is_sent_once_after_restart() {
    let s = approved_deposit().await;
    Headless::start(s.dir.path(), s.port, Some("before_claim")).kill9();
    assert_eq!(s.sim.deposits().len(), 0, "nothing sent before the crash");
    integrity_ok(s.dir.path());
    let app = Headless::start(s.dir.path(), s.port, None);
    wait_status_on_disk(s.dir.path(), s.id, RequestStatus::Completed);
    drop(app);
    assert_eq!(s.sim.deposits().len(), 1, "sent exactly once");
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_after_claiming_it_is_never_resent_until_a_person_settles_it() {
    let s = approved_deposit().await;
    Headless::start(s.dir.path(), s.port, Some("after_claim")).kill9();
    integrity_ok(s.dir.path());
    let app = Headless::start(s.dir.path(), s.port, None);
    wait_status_on_disk(s.dir.path(), s.id, RequestStatus::OutcomeUnknown);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        s.sim.deposits().len(),
        0,
        "an unknown outcome is not resent automatically"
    );
    assert_eq!(status(s.dir.path(), s.id), RequestStatus::OutcomeUnknown);
    drop(app);
    // A supervisor checked with Zexabit: never received. Only now it goes again.
    let desk = Cashdesk::open(config(s.dir.path())).unwrap();
    common::act_as(&desk, "Rina");
    api::requests::settle(
        &desk,
        s.id,
        SettleOutcome::NotReceived,
        "Zexabit support: no deposit for this user today",
    )
    .unwrap();
    drop(desk);
    let app = Headless::start(s.dir.path(), s.port, None);
    wait_status_on_disk(s.dir.path(), s.id, RequestStatus::Completed);
    drop(app);
    assert_eq!(s.sim.deposits().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_after_sending_it_is_settled_by_the_matching_webhook_not_resent() {
    let s = approved_deposit().await;
    Headless::start(s.dir.path(), s.port, Some("after_send")).kill9();
    assert_eq!(
        s.sim.deposits().len(),
        1,
        "the provider got the call before the crash"
    );
    integrity_ok(s.dir.path());
    let app = Headless::start(s.dir.path(), s.port, None);
    // Restart marks it unknown; Zexabit's webhook (user, amount, method) settles it.
    wait_status_on_disk(s.dir.path(), s.id, RequestStatus::Completed);
    drop(app);
    assert_eq!(s.sim.deposits().len(), 1, "never sent twice");
    let store = Store::open(&s.dir.path().join("cashdesk.db")).unwrap();
    let history = store.history(s.id).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.to == RequestStatus::OutcomeUnknown),
        "the unknown outcome is on record"
    );
    assert!(
        store.get_request(s.id).unwrap().provider_txn_id.is_some(),
        "settled with Zexabit's id"
    );
}
