//! The core on a team desk's PostgreSQL (`CASHDESK_DATABASE_URL`): the
//! same requests filed, decided and sent once over real HTTP as on the
//! SQLite file, the window told of each change by the database's own
//! notices, and two servers on one database each call sent once.

mod common;

use cashdesk_core::api::{self, dto::Changed};
use cashdesk_core::{Cashdesk, Config, intake};
use cashdesk_domain::{RequestKind, RequestStatus};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use cashdesk_store::{Engine, pg_test::TestDatabase};
use common::*;
use std::time::Duration;

fn on(db: &TestDatabase, dir: &std::path::Path) -> Config {
    Config {
        database_url: Some(db.url().to_owned()),
        ..config(dir)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_cores_on_one_postgresql_decide_and_send_each_call_once() {
    let db = TestDatabase::create().expect("a test PostgreSQL (scripts/test-pg.sh)");
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(300),
        postback_backoff: Duration::from_millis(100),
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(on(&db, dir.path())).await.unwrap();
    assert_eq!(app.store().engine(), Engine::Postgres);
    act_as(&app, "Rina");
    let account = add_paykassma_account(&app, &sim, "Paykassma BD");
    let addr = app.http_info().unwrap().addr;
    sim.set_postback_url(Some(format!("http://{addr}/postbacks/paykassma/{account}")));
    let mut changes = app.subscribe();

    let mut req = intake_request(
        "team-1",
        RequestKind::Deposit,
        cashdesk_domain::ProviderKind::Paykassma,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.trx_id = Some("TRXTEAM001".into());
    let (rec, _) = intake::submit(&app, &req).unwrap();
    // The window hears of it from PostgreSQL's notice, after the commit.
    let heard = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let c: Changed = changes.recv().await.unwrap();
            if c.requests.contains(&rec.id) {
                break;
            }
        }
    })
    .await;
    assert!(heard.is_ok(), "no change notice for the new request");

    api::requests::approve(&app, rec.id).unwrap();
    let done = wait_status(&app, rec.id, RequestStatus::Completed).await;
    assert!(
        done.history.iter().any(|h| h.actor == "Paykassma"),
        "settled on Paykassma's word: {:?}",
        done.history
    );
    assert_eq!(sim.payments().len(), 1, "sent once");
    assert!(app.store().verify_audit().unwrap() > 0);

    // A second server on the same database (another folder, another
    // machine): both run their outbox workers; half the decisions are made
    // on each, and every call goes out once.
    let other = tempfile::tempdir().unwrap();
    let b = Cashdesk::start(on(&db, other.path())).await.unwrap();
    act_as(&b, "Rina");
    let mut made = Vec::new();
    for i in 0..10 {
        let mut req = intake_request(
            &format!("team-many-{i}"),
            RequestKind::Deposit,
            cashdesk_domain::ProviderKind::Paykassma,
            Some(account),
            ("bkash", "500", "BDT"),
        );
        req.end_user_ref = format!("bd_{i}");
        req.trx_id = Some(format!("TRXTEAM1{i:02}"));
        let server = if i % 2 == 0 { &app } else { &b };
        let (rec, _) = intake::submit(server, &req).unwrap();
        api::requests::approve(server, rec.id).unwrap();
        made.push(rec.id);
    }
    for id in &made {
        wait_status(&b, *id, RequestStatus::Completed).await;
    }
    let mut refs: Vec<String> = sim.payments().into_iter().map(|p| p.custom_id).collect();
    assert_eq!(refs.len(), 11, "the first deposit and ten more");
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 11, "no call sent twice");
    b.shutdown().await;
    app.shutdown().await;
}
