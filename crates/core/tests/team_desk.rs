//! The team desk over the wire: two desk servers on one PostgreSQL, each
//! serving desktops over TLS, and two desktops (clients) on different
//! servers. A claim made on one reaches the other's change feed within a
//! second, the claim is enforced on the other server, the decision is sent
//! once, the pinned certificate is checked, and sessions end when revoked.

mod common;

use cashdesk_core::api::dto::ErrorCode;
use cashdesk_core::team::client::TeamClient;
use cashdesk_core::team::trust::Trust;
use cashdesk_core::team::{TeamServerConfig, TeamServerInfo, serve};
use cashdesk_core::{Cashdesk, Config, intake};
use cashdesk_domain::{ProviderKind, RequestKind};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use cashdesk_store::pg_test::TestDatabase;
use common::*;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn on(db: &TestDatabase, dir: &std::path::Path) -> Config {
    Config {
        database_url: Some(db.url().to_owned()),
        ..config(dir)
    }
}

async fn server(app: &Cashdesk, dir: &std::path::Path) -> TeamServerInfo {
    serve(app, TeamServerConfig::loopback(dir)).await.unwrap()
}

fn url(info: &TeamServerInfo) -> String {
    format!("https://127.0.0.1:{}", info.addr.port())
}

/// Logs `name` in through `client`; their operator id.
async fn log_in(client: &TeamClient, name: &str) -> Value {
    let s = client.call("session", Value::Null).await.unwrap();
    let op = s["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("{name} in the log-in list: {s}"))
        .clone();
    let after = client
        .call("log_in", json!({ "id": op["id"], "secret": PASSWORD }))
        .await
        .unwrap();
    assert_eq!(after["state"], "active");
    assert!(client.has_session());
    op["id"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_desktops_on_two_servers_share_one_queue() {
    let db = TestDatabase::create().expect("a test PostgreSQL (scripts/test-pg.sh)");
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(300),
        postback_backoff: Duration::from_millis(100),
        ..Default::default()
    })
    .await
    .unwrap();
    let (da, dbb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Cashdesk::start(on(&db, da.path())).await.unwrap();
    let b = Cashdesk::start(on(&db, dbb.path())).await.unwrap();
    // Made on the server: the admin, an agent, the provider account.
    act_as(&a, "Rina");
    act_as(&a, "Ana");
    act_as(&a, "Rina");
    let account = add_paykassma_account(&a, &sim, "Paykassma BD");
    let http = a.http_info().unwrap().addr;
    sim.set_postback_url(Some(format!("http://{http}/postbacks/paykassma/{account}")));
    let (sa, sb) = (server(&a, da.path()).await, server(&b, dbb.path()).await);
    assert_ne!(
        sa.fingerprint, sb.fingerprint,
        "each server its own certificate"
    );

    // Joining: the fingerprint the desktop is shown is the server's.
    let (hello, print) = TeamClient::probe(&url(&sa)).await.unwrap();
    assert_eq!(print, sa.fingerprint);
    assert_eq!(hello.kind, "cashdesk-team-desk");
    let ana = TeamClient::new(&url(&sa), &Trust::Pinned(print)).unwrap();
    let rina = TeamClient::new(&url(&sb), &Trust::Pinned(sb.fingerprint.clone())).unwrap();

    // A stranger's large body is not read (only log-in's small one is).
    let e = ana
        .call("list_queue", json!({ "pad": "x".repeat(20_000) }))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{e:?}");
    assert!(e.message.contains("at most 16384 bytes"), "{}", e.message);
    // Nothing without a session; no first admin from a desktop.
    let e = ana
        .call("list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::LoggedOut, "{e:?}");
    let e = ana
        .call(
            "create_first_admin",
            json!({"name": "Eve", "login": "pin", "secret": "123456"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NeedsRole, "{e:?}");
    let e = ana
        .call(
            "log_in",
            json!({"id": a_id(&a, "Ana"), "secret": "wrong secret"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::LoggedOut);
    assert!(!ana.has_session());

    let ana_id = log_in(&ana, "Ana").await;
    log_in(&rina, "Rina").await;
    let mut feed = rina.events().await.unwrap();

    let mut req = intake_request(
        "team-wire-1",
        RequestKind::Deposit,
        ProviderKind::Paykassma,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.trx_id = Some("TRXWIRE001".into());
    let (rec, _) = intake::submit(&a, &req).unwrap();
    let id = json!(rec.id);
    let page = rina
        .call("list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap();
    assert!(page.to_string().contains(&rec.id.to_string()), "{page}");

    // Ana claims on server A; Rina's feed from server B hears it.
    let claimed = ana.call("claim", json!({ "id": id })).await.unwrap();
    assert_eq!(claimed["mine"], true);
    let t = Instant::now();
    let heard = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(c) = feed.next().await {
            if c.requests.contains(&rec.id) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(
        heard,
        Ok(true),
        "the claim reached the other desktop within 1 s"
    );
    eprintln!("claim seen on the other server after {:?}", t.elapsed());
    let seen = rina.call("get_request", json!({ "id": id })).await.unwrap();
    assert_eq!(seen["claim"]["by"], "Ana", "{seen}");
    assert_eq!(seen["claim"]["mine"], false);
    // The claim holds on the other server too.
    let e = rina.call("approve", json!({ "id": id })).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Claimed, "{e:?}");

    ana.call("approve", json!({ "id": id })).await.unwrap();
    let start = Instant::now();
    loop {
        let d = ana.call("get_request", json!({ "id": id })).await.unwrap();
        if d["summary"]["status"] == "completed" {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not completed: {d}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sim.payments().len(), 1, "sent once");

    // A certificate other than the pinned one is refused before anything is sent.
    let wrong = TeamClient::new(&url(&sa), &Trust::Pinned(sb.fingerprint.clone())).unwrap();
    let e = wrong.call("session", Value::Null).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerUnreachable);
    assert!(
        e.message.contains("not the one this desktop joined"),
        "{}",
        e.message
    );

    // An admin on the other server disables Ana: her session ends at once.
    rina.call(
        "change_operator",
        json!({ "id": ana_id, "input": { "disabled": true } }),
    )
    .await
    .unwrap();
    let e = ana
        .call("list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::LoggedOut, "{e:?}");
    // Log-out ends Rina's session on every server.
    rina.call("log_out", Value::Null).await.unwrap();
    assert!(!rina.has_session());
    assert!(a.store().team_sessions().unwrap().is_empty());

    b.shutdown().await;
    a.shutdown().await;
}

fn a_id(app: &Cashdesk, name: &str) -> Value {
    let s = cashdesk_core::api::session::session(app).unwrap();
    json!(s.operators.iter().find(|o| o.name == name).unwrap().id)
}
