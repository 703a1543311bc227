//! A desk with one Paykassma account on its simulator, and the requests
//! the Paykassma tests file there.

use super::{add_paykassma_account, config};
use cashdesk_core::Cashdesk;
use cashdesk_core::intake::{self, IntakeRequest};
use cashdesk_domain::{AccountId, ProviderKind, RequestKind};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use cashdesk_store::RequestRecord;
use std::time::Duration;

pub struct Desk {
    pub _dir: tempfile::TempDir,
    pub app: Cashdesk,
    pub sim: RunningPaykassma,
    pub account: AccountId,
}

impl Desk {
    pub fn postback_url(&self) -> String {
        let addr = self.app.http_info().unwrap().addr;
        format!("http://{addr}/postbacks/paykassma/{}", self.account)
    }
}

/// A desk with one Paykassma account; postbacks reach it when `postbacks`.
pub async fn desk(postbacks: bool, settle_after: Duration) -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after,
        postback_backoff: Duration::from_millis(100),
        ..Default::default()
    })
    .await
    .unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    crate::common::act_as(&app, "Rina");
    let account = add_paykassma_account(&app, &sim, "Paykassma BD");
    let d = Desk {
        _dir: dir,
        app,
        sim,
        account,
    };
    if postbacks {
        d.sim.set_postback_url(Some(d.postback_url()));
    }
    d
}

pub fn request(
    d: &Desk,
    kind: RequestKind,
    amount: &str,
    details: serde_json::Value,
) -> IntakeRequest {
    IntakeRequest {
        intake_ref: format!("pk-{}", rand_ref()),
        kind,
        provider: ProviderKind::Paykassma,
        account_id: Some(d.account),
        method: "bkash".into(),
        amount: amount.into(),
        currency: "BDT".into(),
        end_user_ref: "bd_rahim".into(),
        end_user_name: Some("Rahim Uddin".into()),
        provider_user_id: None,
        trx_id: (kind == RequestKind::Deposit).then(|| "TRX8K2M4Q7".into()),
        sender: None,
        agent_number: None,
        destination: None,
        details,
        screenshot: None,
    }
}

pub fn rand_ref() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub fn withdrawal(d: &Desk, amount: &str) -> RequestRecord {
    let details =
        serde_json::json!({"account_number": "01712345678", "account_email": "rahim@example.com"});
    intake::submit(
        &d.app,
        &request(d, RequestKind::Withdrawal, amount, details),
    )
    .unwrap()
    .0
}
