//! A desktop joined to a team desk server, as the window drives it (every
//! command by name through `Desktop::call`): first-run join with the
//! fingerprint confirmed, the server's queue and feed, drafts kept on the
//! desktop (and still there while the server is away), a lost server
//! said at once with nothing decided, and the join remembered at restart.

mod common;

use cashdesk_core::api::dto::ErrorCode;
use cashdesk_core::team::client::TeamClient;
use cashdesk_core::team::desktop::{Desktop, DesktopEvent};
use cashdesk_core::team::trust::Trust;
use cashdesk_core::team::{TeamServerConfig, serve};
use cashdesk_core::{Cashdesk, intake};
use cashdesk_domain::{ProviderKind, RequestKind};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use common::*;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::Receiver;
use tokio::task::JoinHandle;

/// A TCP relay in front of the server: cutting it is the server lost
/// (its connections drop, new ones are refused), restarting it the same.
struct Relay {
    port: u16,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

async fn relay(port: u16, to: SocketAddr) -> Relay {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let tasks: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
    let conns = tasks.clone();
    let accept = tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let conn = tokio::spawn(async move {
                if let Ok(mut out) = TcpStream::connect(to).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                }
            });
            conns.lock().unwrap().push(conn);
        }
    });
    tasks.lock().unwrap().push(accept);
    Relay { port, tasks }
}

impl Relay {
    fn cut(&self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
    }
}

async fn call(desk: &Desktop, cmd: &str, args: Value) -> Value {
    desk.call(cmd, args)
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e:?}"))
}

/// Waits for an event `f` accepts.
async fn heard(rx: &mut Receiver<DesktopEvent>, what: &str, f: impl Fn(&DesktopEvent) -> bool) {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            match rx.recv().await {
                Ok(e) if f(&e) => return,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("{what}: {e}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}: not within 15 s"));
}

fn lost(e: &DesktopEvent) -> bool {
    matches!(e, DesktopEvent::Team(t) if !t.connected && t.problem.is_some())
}

fn back(e: &DesktopEvent) -> bool {
    matches!(e, DesktopEvent::Team(t) if t.connected)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desktop_joins_works_at_the_server_and_keeps_its_drafts_when_it_is_lost() {
    let sim = PaykassmaSim::start(PaykassmaSimConfig::default())
        .await
        .unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(server_dir.path())).await.unwrap();
    act_as(&app, "Rina");
    act_as(&app, "Ana");
    act_as(&app, "Rina");
    let account = add_paykassma_account(&app, &sim, "Paykassma BD");
    let info = serve(&app, TeamServerConfig::loopback(server_dir.path()))
        .await
        .unwrap();
    let front = relay(0, info.addr).await;
    let url = format!("https://127.0.0.1:{}", front.port);

    // First start of a new desktop: alone, nobody there yet.
    let dir = tempfile::tempdir().unwrap();
    let desk = Desktop::alone(Cashdesk::open(config(dir.path())).unwrap());
    let mut rx = desk.subscribe();
    assert_eq!(
        call(&desk, "desk_mode", Value::Null).await["team"],
        Value::Null
    );
    let probe = call(&desk, "probe_team", json!({ "url": url })).await;
    assert_eq!(probe["fingerprint"], info.fingerprint.as_str());
    assert!(probe["server"].as_str().is_some_and(|s| !s.is_empty()));

    // A fingerprint other than the server's: refused, nothing remembered.
    let e = desk
        .call(
            "join_team",
            json!({ "url": url, "fingerprint": "SHA256:00:11" }),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerUnreachable, "{e:?}");
    assert!(
        e.message.contains("not the one this desktop joined"),
        "{}",
        e.message
    );
    assert!(Desktop::saved_team(dir.path()).unwrap().is_none());

    let mode = call(
        &desk,
        "join_team",
        json!({ "url": url, "fingerprint": info.fingerprint }),
    )
    .await;
    assert_eq!(mode["team"]["fingerprint"], info.fingerprint.as_str());
    assert!(Desktop::saved_team(dir.path()).unwrap().is_some());

    // The log-in list is the server's; nothing without a session.
    let s = call(&desk, "session", Value::Null).await;
    assert_eq!(s["state"], "logged_out", "{s}");
    let ana = s["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Ana")
        .unwrap()["id"]
        .clone();
    let e = desk.call("list_drafts", Value::Null).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::LoggedOut);
    // What the join said is old news: the feed's own opening comes next.
    while rx.try_recv().is_ok() {}
    let s = call(&desk, "log_in", json!({ "id": ana, "secret": PASSWORD })).await;
    assert_eq!(s["state"], "active");
    // The feed opens a moment after the log-in (the desktop then refetches
    // everything); a change made before that is covered by the refetch,
    // not heard on its own, so the request below waits for it.
    heard(
        &mut rx,
        "the server's change feed open",
        |e| matches!(e, DesktopEvent::Changed(c) if c.drafts && c.accounts && c.links),
    )
    .await;

    // The server's queue, and its changes as they happen.
    let mut req = intake_request(
        "desktop-1",
        RequestKind::Deposit,
        ProviderKind::Paykassma,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.trx_id = Some("TRXDESK001".into());
    let (rec, _) = intake::submit(&app, &req).unwrap();
    let id = rec.id;
    heard(
        &mut rx,
        "the server's new request",
        |e| matches!(e, DesktopEvent::Changed(c) if c.requests.contains(&id)),
    )
    .await;
    let page = call(&desk, "list_queue", json!({ "query": { "tab": "queue" } })).await;
    assert!(page.to_string().contains(&id.to_string()), "{page}");

    // The desk-entry form loads the account's methods at the server.
    let methods = call(&desk, "list_methods", json!({ "accountId": account })).await;
    assert!(methods.to_string().contains("bkash"), "{methods}");
    // A draft stays on the desktop: the server has none.
    let fields = json!({
        "kind": "deposit", "account_id": account, "method": "bkash", "amount": "750",
        "end_user_ref": "player-9", "trx_id": "TRXDESK002", "sender": "01712345678",
    });
    let draft = call(&desk, "save_draft", json!({ "id": null, "fields": fields })).await;
    assert!(app.store().list_drafts().unwrap().is_empty());
    assert_eq!(
        call(&desk, "list_drafts", Value::Null)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The server lost: said at once; nothing decided; drafts still here.
    front.cut();
    heard(&mut rx, "the server lost", lost).await;
    let mode = call(&desk, "desk_mode", Value::Null).await;
    assert_eq!(mode["team"]["connected"], false, "{mode}");
    let e = desk.call("approve", json!({ "id": id })).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerUnreachable, "{e:?}");
    assert!(e.message.contains("Nothing was sent"), "{}", e.message);
    let kept = call(&desk, "list_drafts", Value::Null).await;
    assert_eq!(kept[0]["fields"]["amount"], "750", "{kept}");
    let mut more = fields.clone();
    more["amount"] = json!("800");
    call(
        &desk,
        "save_draft",
        json!({ "id": draft["id"], "fields": more }),
    )
    .await;
    let e = desk
        .call("submit_draft", json!({ "id": draft["id"] }))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerUnreachable);
    assert_eq!(
        call(&desk, "list_drafts", Value::Null)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let status = app.store().get_request(id).unwrap().status;
    assert_eq!(status.as_str(), "pending", "nothing decided while away");

    // Back: said so, and the draft reaches the server when submitted.
    let _again = relay(front.port, info.addr).await;
    heard(&mut rx, "the server back", back).await;
    let detail = call(&desk, "submit_draft", json!({ "id": draft["id"] })).await;
    assert_eq!(detail["summary"]["money"]["amount"], "800.00", "{detail}");
    assert_eq!(detail["source"], "desk");
    assert!(
        call(&desk, "list_drafts", Value::Null)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        app.store().list_drafts().unwrap().is_empty(),
        "no draft left at the server"
    );

    // An admin sees the desktops logged in and ends Ana's session there.
    let rina = TeamClient::new(&url, &Trust::Pinned(info.fingerprint.clone())).unwrap();
    let s = rina.call("session", Value::Null).await.unwrap();
    let rina_id = s["operators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "Rina")
        .unwrap()["id"]
        .clone();
    rina.call("log_in", json!({ "id": rina_id, "secret": PASSWORD }))
        .await
        .unwrap();
    let list = rina.call("team_sessions", Value::Null).await.unwrap();
    let ana_row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["operator"] == "Ana")
        .unwrap_or_else(|| panic!("Ana's desktop listed: {list}"))
        .clone();
    assert!(
        ana_row["device"]
            .as_str()
            .is_some_and(|d| d.contains("Cashdesk/")),
        "{ana_row}"
    );
    let after = rina
        .call("revoke_team_session", json!({ "id": ana_row["id"] }))
        .await
        .unwrap();
    assert!(!after.to_string().contains("\"Ana\""), "{after}");
    let e = desk
        .call("list_queue", json!({ "query": { "tab": "queue" } }))
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::LoggedOut,
        "ended at her next call: {e:?}"
    );

    // The same draft submitted again (its answer lost on the way back to
    // a desktop) is the same request, not a second one.
    rina.call("save_draft", json!({ "id": draft["id"], "fields": more }))
        .await
        .unwrap();
    let again = rina
        .call("submit_draft", json!({ "id": draft["id"] }))
        .await
        .unwrap();
    assert_eq!(again["summary"]["id"], detail["summary"]["id"], "{again}");

    // Restarted, the desktop is joined again without asking.
    drop(desk);
    let saved = Desktop::saved_team(dir.path()).unwrap().unwrap();
    let again = Desktop::joined(&config(dir.path()), saved).unwrap();
    let mode = call(&again, "desk_mode", Value::Null).await;
    assert_eq!(mode["team"]["url"], url.as_str());
    assert_eq!(
        call(&again, "session", Value::Null).await["state"],
        "logged_out"
    );
    call(&again, "leave_team", Value::Null).await;
    assert!(Desktop::saved_team(dir.path()).unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_with_operators_does_not_join() {
    let dir = tempfile::tempdir().unwrap();
    let core = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&core, "Rina");
    let desk = Desktop::alone(core);
    let e = desk
        .call(
            "join_team",
            json!({ "url": "https://127.0.0.1:9", "fingerprint": "SHA256:00" }),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("already has operators"), "{}", e.message);
    assert!(Desktop::saved_team(dir.path()).unwrap().is_none());
}
