//! Sandbox mode feeds Paykassma requests from simulated customers, and
//! they complete on approval like real ones.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use cashdesk_core::Config;
use cashdesk_core::api::{self, dto::*};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_customers_feed_paykassma_requests_that_complete_on_approval() {
    let dir = tempfile::tempdir().unwrap();
    let app = cashdesk_sandbox::start(Config {
        sandbox_when_unconfigured: true,
        sandbox_interval: Duration::from_millis(150),
        ..config(dir.path())
    })
    .await
    .unwrap();
    common::act_as(&app, "Rina");
    let deposit = wait_for(
        "a Paykassma deposit in the sandbox queue",
        Duration::from_secs(30),
        || {
            let page = api::requests::list_queue(
                &app,
                &QueueQuery {
                    tab: QueueTab::Queue,
                    provider: Some(ProviderKind::Paykassma),
                    kind: Some(RequestKind::Deposit),
                    limit: Some(100),
                    ..Default::default()
                },
            )
            .unwrap();
            page.items
                .iter()
                .map(|r| api::requests::get_request(&app, r.id).unwrap())
                .find(|d| d.trx_id.as_deref().is_some_and(|t| t.starts_with("TRX")))
        },
    );
    api::requests::approve(&app, deposit.summary.id).unwrap();
    wait_status(&app, deposit.summary.id, RequestStatus::Completed).await;
    app.shutdown().await;
}
