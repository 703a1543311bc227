//! A deposit settles at the amount the provider reports, never at the
//! amount asked: a Paykassma postback or a Zexabit webhook that reports
//! less (a customer who paid less; savings pooling) puts the request in
//! *amount differs*, shows both amounts, and tells the operator's platform
//! what actually moved. Run under each answer the simulators give to what
//! the documents leave open (`Unstated::each`), so each credit answer
//! meets each of the others.

mod common;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake::{self, IntakeStatus};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{ProviderKind, RequestId, RequestKind, RequestStatus};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use cashdesk_sim::{Credit, Unstated};
use common::*;
use std::time::Duration;

fn desk_config(dir: &std::path::Path) -> Config {
    Config {
        poll_interval: Duration::from_millis(250),
        ..config(dir)
    }
}

/// What the request must end as, and at which settled amount.
fn expected(u: &Unstated, asked: &str, less: &str) -> (RequestStatus, String) {
    match u.credit {
        Credit::Requested => (RequestStatus::Completed, asked.to_owned()),
        Credit::Less => (RequestStatus::AmountDiffers, less.to_owned()),
    }
}

async fn settles_as(app: &Cashdesk, id: RequestId, u: &Unstated, asked: &str, less: &str) {
    let (want, settled) = expected(u, asked, less);
    let d = wait_status(app, id, want).await;
    assert_eq!(
        d.settled.as_ref().map(|m| m.amount.to_string()),
        Some(settled.clone()),
        "{u}: settled amount"
    );
    // What the operator's platform reads over the intake API.
    let rec = app.store().get_request(id).unwrap();
    let status = match &rec.intake_ref {
        Some(r) => {
            let http = app.http_info().unwrap();
            reqwest::Client::new()
                .get(format!("http://{}/intake/v1/requests/{r}", http.addr))
                .bearer_auth(&http.intake_token)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
        None => serde_json::to_value(IntakeStatus::from(&rec)).unwrap(),
    };
    assert_eq!(status["settled_amount"], settled.as_str(), "{u}: {status}");
    assert_eq!(status["settled_currency"], "BDT", "{u}: {status}");
    if want == RequestStatus::AmountDiffers {
        assert!(d.can_settle, "{u}: a person decides");
        assert_eq!(d.settled_display.as_deref(), Some(&*format!("{less} BDT")));
        assert!(
            d.history
                .iter()
                .any(|h| h.reason.as_deref().unwrap_or("").contains(asked)),
            "{u}: the history names the amount asked: {:?}",
            d.history
        );
        accept_what_moved(app, id, &settled).await;
    }
}

/// The one way out of amount differs: accept the settled amount. Sending
/// again or calling it rejected is refused.
async fn accept_what_moved(app: &Cashdesk, id: RequestId, settled: &str) {
    for refused in [
        SettleOutcome::NotReceived,
        SettleOutcome::RejectedByProvider,
    ] {
        let err = api::requests::settle(app, id, refused, "tried").unwrap_err();
        assert_eq!(err.code, ErrorCode::NotAllowed, "{err:?}");
    }
    let done = api::requests::settle(
        app,
        id,
        SettleOutcome::Completed,
        "the customer paid less; the platform credits what arrived",
    )
    .unwrap();
    assert_eq!(done.summary.status, RequestStatus::Completed);
    assert_eq!(
        done.settled
            .as_ref()
            .map(|m| m.amount.to_string())
            .as_deref(),
        Some(settled)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paykassma_deposit_settles_at_what_the_postback_reports() {
    for u in Unstated::each(Duration::from_millis(300)) {
        let dir = tempfile::tempdir().unwrap();
        let sim = PaykassmaSim::start(PaykassmaSimConfig {
            settle_after: Duration::from_millis(200),
            postback_backoff: Duration::from_millis(100),
            ..Default::default()
        })
        .await
        .unwrap();
        sim.set_unstated(u);
        let app = Cashdesk::start(desk_config(dir.path())).await.unwrap();
        common::act_as(&app, "Rina");
        let account = add_paykassma_account(&app, &sim, "Paykassma BD");
        let addr = app.http_info().unwrap().addr;
        sim.set_postback_url(Some(format!("http://{addr}/postbacks/paykassma/{account}")));
        let mut req = intake_request(
            &uuid::Uuid::new_v4().simple().to_string(),
            RequestKind::Deposit,
            ProviderKind::Paykassma,
            Some(account),
            ("bkash", "500", "BDT"),
        );
        req.end_user_ref = "bd_rahim".into();
        req.trx_id = Some("TRX8K2M4Q7".into());
        let id = intake::submit(&app, &req).unwrap().0.id;
        api::requests::approve(&app, id).unwrap();
        settles_as(&app, id, &u, "500.00", "450.00").await;
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_zexabit_deposit_settles_at_what_the_webhook_reports() {
    for u in Unstated::each(Duration::from_millis(300)) {
        let dir = tempfile::tempdir().unwrap();
        let app = Cashdesk::start(desk_config(dir.path())).await.unwrap();
        let sim = zexabit_sim(None).await;
        sim.set_unstated(u);
        let account = add_zexabit_account(&app, &sim);
        let addr = app.http_info().unwrap().addr;
        sim.set_callback_url(Some(format!("http://{addr}/webhooks/zexabit/{account}")));
        let id = zexabit_deposit(&app, &sim, account).await;
        api::requests::approve(&app, id).unwrap();
        settles_as(&app, id, &u, "500.00", "450.00").await;
        app.shutdown().await;
    }
}
