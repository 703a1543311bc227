//! An unknown Zexabit outcome handed to a supervisor with the candidates
//! shown: two identical deposits whose answers were lost; Zexabit's
//! webhooks cannot tell them apart, so they settle nothing on their own
//! and are offered as candidates. Each event can settle one request only.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::ErrorCode};
use cashdesk_core::intake;
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use cashdesk_sim::Faults;
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn ambiguous_webhooks_are_offered_as_candidates_and_settle_one_request_each() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let account = add_zexabit_account(&app, &sim);
    let addr = app.http_info().unwrap().addr;
    let user = zexabit_user(&sim).await;
    // Both calls arrive at Zexabit, both answers are lost.
    sim.set_faults(Faults {
        drop_after_commit: 2,
        ..Default::default()
    });
    let mut ids = Vec::new();
    for n in 0..2 {
        let mut req = intake_request(
            &format!("twin-{n}"),
            RequestKind::Deposit,
            ProviderKind::Zexabit,
            Some(account),
            ("bkash", "500", "BDT"),
        );
        req.provider_user_id = Some(user.clone());
        req.trx_id = Some(format!("TRXTWIN00{n}"));
        req.agent_number = Some("01712345678".into());
        let (rec, _) = intake::submit(&app, &req).unwrap();
        api::requests::approve(&app, rec.id).unwrap();
        wait_status(&app, rec.id, RequestStatus::OutcomeUnknown).await;
        ids.push(rec.id);
    }
    assert_eq!(sim.deposits().len(), 2);
    // Now Zexabit's webhooks reach the desk: each could be either request.
    sim.set_callback_url(Some(format!("http://{addr}/webhooks/zexabit/{account}")));
    let offered = wait_for("two candidates", Duration::from_secs(20), || {
        let c = api::reconcile::candidates(&app, ids[0]).unwrap();
        (c.len() == 2).then_some(c)
    });
    for c in &offered {
        assert_eq!(c.fits, ["same user", "same amount", "same method"]);
        assert!(c.note.contains("2 requests could match"), "{}", c.note);
    }
    for id in &ids {
        assert_eq!(
            api::requests::get_request(&app, *id)
                .unwrap()
                .summary
                .status,
            RequestStatus::OutcomeUnknown,
            "nothing settled by guesswork"
        );
    }
    let first = &offered[0];
    let done = api::reconcile::settle_with_candidate(&app, ids[0], &first.event_key).unwrap();
    assert_eq!(done.summary.status, RequestStatus::Completed);
    assert_eq!(done.provider_txn_id.as_deref(), Some(first.txn_id.as_str()));
    assert!(done.history.iter().any(|h| {
        h.reason
            .as_deref()
            .is_some_and(|r| r.contains("matched by hand"))
    }));
    // The used event is no longer offered, and cannot settle the twin.
    let left = api::reconcile::candidates(&app, ids[1]).unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].event_key, first.event_key);
    let err = api::reconcile::settle_with_candidate(&app, ids[1], &first.event_key).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "{}", err.message);
    let twin = api::reconcile::settle_with_candidate(&app, ids[1], &left[0].event_key).unwrap();
    assert_eq!(twin.summary.status, RequestStatus::Completed);
    assert_eq!(sim.deposits().len(), 2, "nothing was sent again");
    app.shutdown().await;
}
