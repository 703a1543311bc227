//! The core on a team desk's PostgreSQL (`CASHDESK_DATABASE_URL`): the
//! same requests filed, decided and sent once over real HTTP as on the
//! SQLite file, the window told of each change by the database's own
//! notices, and a second core on the same database refused.

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
async fn a_core_on_postgresql_decides_and_sends_once_and_is_alone_on_its_database() {
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

    // Another core on the same database (from another folder) would run
    // recovery and the outbox on the same rows: refused, saying why.
    let other = tempfile::tempdir().unwrap();
    let err = match Cashdesk::start(on(&db, other.path())).await {
        Ok(_) => panic!("a second core started on the same database"),
        Err(e) => e,
    };
    assert!(err.to_string().contains("another Cashdesk server"), "{err}");
    app.shutdown().await;
}
