//! The core end to end over real HTTP on loopback: sandbox queue, approve
//! and reject, provider errors shown as they came, intake and webhooks.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use common::*;
use std::time::Duration;

async fn sandbox() -> (tempfile::TempDir, Cashdesk) {
    let dir = tempfile::tempdir().unwrap();
    let app = cashdesk_sandbox::start(Config {
        sandbox_when_unconfigured: true,
        sandbox_interval: Duration::from_millis(200),
        ..config(dir.path())
    })
    .await
    .unwrap();
    common::act_as(&app, "Rina");
    (dir, app)
}

fn queue(app: &Cashdesk, tab: QueueTab) -> QueuePage {
    api::requests::list_queue(
        app,
        &QueueQuery {
            tab,
            provider: None,
            kind: None,
            limit: None,
            ..Default::default()
        },
    )
    .unwrap()
}

fn pick(app: &Cashdesk, kind: RequestKind) -> RequestSummary {
    wait_for(
        "a request in the sandbox queue",
        Duration::from_secs(20),
        || {
            queue(app, QueueTab::Queue).items.into_iter().find(|r| {
                // Other providers' simulated customers share the queue;
                // FAKE is rejected at Zexabit and LOST's call is dropped.
                let trx = r.reference.as_deref().unwrap_or("");
                r.provider == ProviderKind::Zexabit
                    && r.kind == kind
                    && !trx.starts_with("FAKE")
                    && !trx.starts_with("LOST")
            })
        },
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sandbox_fills_the_queue_and_approvals_complete_through_zexabit() {
    let (_dir, app) = sandbox().await;
    assert!(
        api::app_info(&app).unwrap().sandbox,
        "no account configured: sandbox mode"
    );
    let dep = pick(&app, RequestKind::Deposit);
    assert!(
        dep.amount_display
            .ends_with(&format!(" {}", dep.money.currency)),
        "{}",
        dep.amount_display
    );
    let decided = api::requests::approve(&app, dep.id).unwrap();
    // It returns without waiting for the network: the worker may already
    // have claimed the call, but no answer can have come back yet.
    assert!(
        matches!(
            decided.summary.status,
            RequestStatus::Approved | RequestStatus::Submitting
        ),
        "approving returns at once, before any network answer: {:?}",
        decided.summary.status
    );
    let done = wait_status(&app, dep.id, RequestStatus::Completed).await;
    let path: Vec<_> = done.history.iter().map(|h| h.to).collect();
    assert_eq!(
        path,
        [
            RequestStatus::Pending,
            RequestStatus::Approved,
            RequestStatus::Submitting,
            RequestStatus::AwaitingProvider,
            RequestStatus::Completed
        ],
        "every transition recorded: {:?}",
        done.history
    );
    assert_eq!(done.history[1].actor, "Rina", "who approved is recorded");
    assert!(done.provider_txn_id.as_deref().unwrap().starts_with("dep_"));

    let wd = pick(&app, RequestKind::Withdrawal);
    api::requests::approve(&app, wd.id).unwrap();
    wait_status(&app, wd.id, RequestStatus::Completed).await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rejecting_needs_a_reason_and_sends_nothing() {
    let (_dir, app) = sandbox().await;
    let wd = pick(&app, RequestKind::Withdrawal);
    let err = api::requests::reject(&app, wd.id, "   ").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let d = api::requests::reject(&app, wd.id, "Destination wallet belongs to someone else")
        .await
        .unwrap();
    assert_eq!(d.summary.status, RequestStatus::Rejected);
    assert_eq!(
        d.status_reason.as_deref(),
        Some("Destination wallet belongs to someone else")
    );
    let again = api::requests::approve(&app, wd.id).unwrap_err();
    assert_eq!(again.code, ErrorCode::NotAllowed, "{}", again.message);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_need_a_logged_in_operator() {
    use cashdesk_core::api::session::{self, SecretKind};
    use cashdesk_core::session::SessionState;
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    let err = api::requests::reject(&app, cashdesk_domain::RequestId::new(), "x")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::LoggedOut);
    assert_eq!(
        session::session(&app).unwrap().state,
        SessionState::FirstStart
    );
    assert!(session::create_first_admin(&app, "  ", SecretKind::Password, PASSWORD).is_err());
    assert!(session::create_first_admin(&app, "Rina", SecretKind::Password, "short").is_err());
    let s = session::create_first_admin(&app, " Rina ", SecretKind::Password, PASSWORD).unwrap();
    assert_eq!(s.state, SessionState::Active);
    assert_eq!(s.operator.map(|o| o.name).as_deref(), Some("Rina"));
    assert_eq!(
        api::app_info(&app).unwrap().operator.as_deref(),
        Some("Rina")
    );
    // Only while no operator exists.
    assert!(session::create_first_admin(&app, "Mallory", SecretKind::Password, PASSWORD).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_survives_reopening_and_submits_once() {
    let (dir, app) = sandbox().await;
    let account = api::accounts::list_accounts(&app).unwrap()[0].id;
    let fields = DraftFields {
        kind: Some(RequestKind::Deposit),
        account_id: Some(account),
        method: "bkash".into(),
        amount: "750".into(),
        end_user_ref: "walkin-7".into(),
        ..Default::default()
    };
    let d = api::drafts::save_draft(&app, None, &fields).unwrap();
    app.shutdown().await;
    drop(app);
    let app = Cashdesk::open(config(dir.path())).unwrap();
    common::act_as(&app, "Rina");
    let drafts = api::drafts::list_drafts(&app).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].fields.amount, "750");
    assert_eq!(drafts[0].id, d.id);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_request_is_validated_then_queued() {
    let (_dir, app) = sandbox().await;
    let account = api::accounts::list_accounts(&app).unwrap()[0].id;
    let mut fields = DraftFields {
        kind: Some(RequestKind::Deposit),
        account_id: Some(account),
        method: "bkash".into(),
        amount: "50".into(),
        end_user_ref: "walkin-7".into(),
        provider_user_id: "u1".into(),
        agent_number: "01712345678".into(),
        trx_id: "TRXDESK1".into(),
        ..Default::default()
    };
    let d = api::drafts::save_draft(&app, None, &fields).unwrap();
    let err = api::drafts::submit_draft(&app, d.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("100"),
        "names the method minimum: {}",
        err.message
    );
    fields.amount = "500.5".into();
    api::drafts::save_draft(&app, Some(d.id), &fields).unwrap();
    let req = api::drafts::submit_draft(&app, d.id).unwrap();
    assert_eq!(req.summary.amount_display, "500.50 BDT");
    assert_eq!(req.source, "desk");
    assert!(api::drafts::list_drafts(&app).unwrap().is_empty());
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_refusals_reach_the_agent_in_the_providers_words() {
    let dir = tempfile::tempdir().unwrap();
    // New users start with a zero balance here.
    let sim = cashdesk_sim::zexabit::ZexabitSim::start(Default::default())
        .await
        .unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let account = add_zexabit_account(&app, &sim);
    let http = app.http_info().unwrap();
    sim.set_callback_url(Some(format!(
        "http://{}/webhooks/zexabit/{account}",
        http.addr
    )));
    let client =
        cashdesk_zexabit::Client::new(&sim.base_url(), sim.api_key().into(), Default::default())
            .unwrap();
    let user = client
        .create_user(&cashdesk_zexabit::CreateUserRequest {
            external_user_id: "u9".into(),
            username: "user_nine".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap()
        .user_id;
    // A withdrawal larger than the user's balance: 409 INSUFFICIENT_BALANCE.
    let (rec, _) = cashdesk_core::intake::submit(
        &app,
        &cashdesk_core::intake::IntakeRequest {
            intake_ref: "big".into(),
            kind: RequestKind::Withdrawal,
            provider: cashdesk_domain::ProviderKind::Zexabit,
            account_id: Some(account),
            method: "bkash".into(),
            amount: "49000".into(),
            currency: "BDT".into(),
            end_user_ref: "u9".into(),
            end_user_name: None,
            provider_user_id: Some(user.clone()),
            trx_id: None,
            sender: None,
            agent_number: None,
            destination: Some("01898765432".into()),
            details: serde_json::json!({}),
            screenshot: None,
        },
    )
    .unwrap();
    api::requests::approve(&app, rec.id).unwrap();
    let d = wait_status(&app, rec.id, RequestStatus::RejectedByProvider).await;
    let reason = d.provider_reason.unwrap();
    assert!(reason.starts_with("INSUFFICIENT_BALANCE — "), "{reason}");
    app.shutdown().await;
}
