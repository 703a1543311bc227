//! Provider retention windows: past the window in which a provider keeps
//! what Cashdesk looks up, "not found" proves nothing, so a request whose
//! outcome is unknown is neither asked about nor sent again; it waits for
//! a person to reconcile it.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api;
use cashdesk_core::intake;
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use cashdesk_sim::Faults;
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn past_the_lookup_window_an_unknown_outcome_is_left_for_reconciliation() {
    let dir = tempfile::tempdir().unwrap();
    // Settles late: the postback lookup finds nothing while we look.
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_secs(3600),
        ..Default::default()
    })
    .await
    .unwrap();
    // Probes only when nudged, so the simulator's request count below
    // counts only what the request itself causes.
    let app = Cashdesk::start(cashdesk_core::Config {
        probe_interval: Duration::from_secs(3600),
        ..config(dir.path())
    })
    .await
    .unwrap();
    common::act_as(&app, "Rina");
    let account = add_paykassma_account(&app, &sim, "PK");
    let mut req = intake_request(
        "old-1",
        RequestKind::Withdrawal,
        ProviderKind::Paykassma,
        Some(account),
        ("bkash", "900", "BDT"),
    );
    req.destination = Some("01712345678".into());
    req.details = serde_json::json!({"account_email": "old@example.com"});
    let (rec, _) = intake::submit(&app, &req).unwrap();
    sim.set_faults(Faults {
        drop_after_commit: 1,
        ..Default::default()
    });
    api::requests::approve(&app, rec.id).unwrap();
    wait_status(&app, rec.id, RequestStatus::OutcomeUnknown).await;
    assert_eq!(sim.withdrawals().len(), 1);
    // The lost answer had the account probed once; let that finish.
    wait_for("the nudged probe", Duration::from_secs(10), || {
        api::accounts::list_links(&app)
            .unwrap()
            .iter()
            .any(|l| l.detail.contains("balances readable"))
            .then_some(())
    });

    // 31 days later (the assumed window is 30).
    let db = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    db.busy_timeout(Duration::from_secs(5)).unwrap();
    db.execute(
        "UPDATE requests SET created_ms = created_ms - ?1 WHERE id = ?2",
        rusqlite::params![31_i64 * 24 * 3600 * 1000, rec.id.to_string()],
    )
    .unwrap();
    let d = api::requests::check_with_provider(&app, rec.id)
        .await
        .unwrap();
    assert_eq!(
        d.summary.status,
        RequestStatus::OutcomeUnknown,
        "{:?}",
        d.history
    );
    assert_eq!(
        d.provider_status.as_deref(),
        Some(cashdesk_core::providers_reconcile_note())
    );
    assert!(
        !d.history
            .iter()
            .any(|h| h.to == RequestStatus::Approved
                && h.from == Some(RequestStatus::OutcomeUnknown)),
        "not queued to be sent again: {:?}",
        d.history
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sim.withdrawals().len(), 1);
    app.shutdown().await;
}
