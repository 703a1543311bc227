//! Offline work: with a provider unreachable the desk keeps deciding,
//! approved calls wait ("waiting to send"), the window shows the account
//! offline, and the outbox drains as soon as the provider is back.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake;
use cashdesk_core::links::LinkState;
use cashdesk_domain::{AccountId, ProviderKind, RequestKind, RequestStatus};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use common::*;
use std::time::{Duration, Instant};

fn link(app: &Cashdesk, account: AccountId) -> LinkState {
    api::accounts::list_links(app)
        .unwrap()
        .into_iter()
        .find(|l| l.account_id == account)
        .unwrap()
        .state
}

fn deposit(app: &Cashdesk, account: AccountId, n: u32) -> cashdesk_domain::RequestId {
    let mut req = intake_request(
        &format!("offline-{n}"),
        RequestKind::Deposit,
        ProviderKind::Paykassma,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.end_user_ref = format!("bd_{n}");
    req.trx_id = Some(format!("TRXOFF{n:04}"));
    intake::submit(app, &req).unwrap().0.id
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_wait_while_the_provider_is_unreachable_and_go_out_when_it_returns() {
    let port = free_port();
    let sim_config = || PaykassmaSimConfig {
        port,
        secret: "pk-secret".into(),
        private_key: "pk-private".into(),
        ..Default::default()
    };
    let sim = PaykassmaSim::start(sim_config()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    let nv = |k: &str, v: &str| NamedValue {
        name: k.into(),
        value: v.into(),
    };
    let account = api::accounts::add_account(
        &app,
        &NewAccountInput {
            provider: ProviderKind::Paykassma,
            name: "Paykassma".into(),
            base_url: sim.base_url(),
            secrets: vec![nv("secret", "pk-secret"), nv("private_key", "pk-private")],
            settings: vec![],
        },
    )
    .expect("test keychain available (run under scripts/test.sh)")
    .id;
    wait_for("the account shown online", Duration::from_secs(10), || {
        (link(&app, account) == LinkState::Online).then_some(())
    });

    // The network goes: the provider cannot be reached at all.
    sim.shutdown().await;
    let first = deposit(&app, account, 1);
    let second = deposit(&app, account, 2);
    api::requests::approve(&app, first).unwrap();
    // Deciding still works, and returns at once.
    let rejected = api::requests::reject(&app, second, "TrxID already used")
        .await
        .unwrap();
    assert_eq!(rejected.summary.status, RequestStatus::Rejected);
    wait_for("the account shown offline", Duration::from_secs(10), || {
        (link(&app, account) == LinkState::Offline).then_some(())
    });
    // The probe may find the account gone while the worker's first attempt
    // is still in flight (under load): that attempt ends, then it waits.
    let waiting = wait_for("the call waiting to send", Duration::from_secs(10), || {
        let d = api::requests::get_request(&app, first).unwrap();
        (d.summary.status == RequestStatus::Approved).then_some(d)
    });
    assert_eq!(waiting.summary.status_label, "waiting to send");
    assert!(
        waiting
            .status_reason
            .as_deref()
            .is_some_and(|r| r.contains("not delivered, will retry")),
        "{:?}",
        waiting.status_reason
    );
    // While the account is offline its call is held: no attempts (the
    // probe is the only traffic), however long it lasts.
    let attempts = || app.store().outbox_for(first).unwrap()[0].attempts;
    let before = attempts();
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(attempts(), before, "no attempts while offline");
    assert_eq!(
        api::requests::get_request(&app, first)
            .unwrap()
            .summary
            .status,
        RequestStatus::Approved
    );

    // The network returns: the waiting call goes out now, not at the end
    // of its backoff.
    let back = Instant::now();
    let sim = PaykassmaSim::start(sim_config()).await.unwrap();
    wait_for("the call delivered", Duration::from_secs(5), || {
        (!sim.payments().is_empty()).then_some(())
    });
    eprintln!(
        "delivered {:?} after the provider came back",
        back.elapsed()
    );
    assert_eq!(link(&app, account), LinkState::Online);
    // The simulator counts the call before it answers: the desk records
    // the answer a moment later.
    wait_for("the answer recorded", Duration::from_secs(5), || {
        let d = api::requests::get_request(&app, first).unwrap();
        (d.summary.status == RequestStatus::AwaitingProvider).then_some(())
    });
    assert_eq!(sim.payments().len(), 1, "sent once");
    app.shutdown().await;
}
