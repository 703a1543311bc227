//! The `cashdesk-server` binary as an admin runs it: the first admin made
//! on the server, the server started on a PostgreSQL database with its
//! secrets in a file, a desktop joining by the printed fingerprint and
//! logging in; a second server without the desk's secrets file refuses
//! to start instead of breaking the audit chain.

use cashdesk_core::api::dto::ErrorCode;
use cashdesk_core::team::client::TeamClient;
use cashdesk_core::team::trust::Trust;
use cashdesk_store::pg_test::TestDatabase;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cashdesk-server");

fn server(db: &TestDatabase, dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("CASHDESK_DATABASE_URL", db.url())
        .env("CASHDESK_DATA_DIR", dir)
        .env("CASHDESK_TEAM_ADDR", "127.0.0.1:0")
        .env("CASHDESK_HTTP_ADDR", "127.0.0.1:0")
        .env("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test.server")
        .env_remove("CASHDESK_SECRETS_FILE")
        .env_remove("CREDENTIALS_DIRECTORY")
        .env_remove("CASHDESK_KEYCHAIN");
    c
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server; its URL and fingerprint from the ready line.
fn start(mut cmd: Command) -> (Running, String, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let running = Running(child);
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("CASHDESK-SERVER-READY ") {
            let mut parts = rest.split(' ');
            let url = parts.next().unwrap().to_owned();
            let print = parts.next().unwrap().to_owned();
            return (running, url, print);
        }
    }
    panic!("the server ended before it was ready");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_up_a_server_and_a_desktop_joins_it() {
    let db = TestDatabase::create().expect("a test PostgreSQL (scripts/test-pg.sh)");
    let dir = tempfile::tempdir().unwrap();
    let mut made = server(&db, dir.path())
        .args(["first-admin", "Rina"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    made.stdin
        .take()
        .unwrap()
        .write_all(b"correct horse 1\n")
        .unwrap();
    let out = made.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Rina is the desk's first admin"));
    // The desk's secrets (its audit key so far) are in the data folder, private.
    let secrets = dir.path().join("secrets.json");
    let text = std::fs::read_to_string(&secrets).unwrap();
    assert!(text.contains("app:audit"), "{text}");

    let printed = server(&db, dir.path()).arg("fingerprint").output().unwrap();
    let printed = String::from_utf8(printed.stdout).unwrap();
    // A fixed port, so the desktop finds the server again after a restart.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let on_port = |dir: &std::path::Path| {
        let mut c = server(&db, dir);
        c.env("CASHDESK_TEAM_ADDR", format!("127.0.0.1:{port}"));
        c
    };
    let (srv, url, print) = start(on_port(dir.path()));
    assert_eq!(
        printed.trim(),
        print,
        "the fingerprint an admin reads is the one served"
    );

    let url = url.replace("0.0.0.0", "127.0.0.1");
    let (_, seen) = TeamClient::probe(&url).await.unwrap();
    assert_eq!(seen, print);
    let desk = TeamClient::new(&url, &Trust::Pinned(seen)).unwrap();
    let s = desk.call("session", Value::Null).await.unwrap();
    let rina = s["operators"][0]["id"].clone();
    desk.call("log_in", json!({"id": rina, "secret": "correct horse 1"}))
        .await
        .unwrap();
    let page = desk
        .call("list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap();
    assert!(page["items"].as_array().unwrap().is_empty(), "{page}");

    // The server restarts: the desktop's session holds, locked until its
    // operator unlocks it (the server cannot know it was not locked).
    drop(srv);
    let (_srv, _, _) = start(on_port(dir.path()));
    for _ in 0..50 {
        if desk.hello().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let e = desk
        .call("list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Locked, "{e:?}");
    let s = desk
        .call("unlock", json!({"secret": "correct horse 1"}))
        .await
        .unwrap();
    assert_eq!(s["state"], "active", "{s}");
    desk.call("list_queue", json!({"query": {"tab": "queue"}}))
        .await
        .unwrap();

    // A second server of the desk without its secrets file: refused.
    let other = tempfile::tempdir().unwrap();
    let refused = server(&db, other.path()).output().unwrap();
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("copy the desk's secrets file"), "{why}");
    // With the same file it starts.
    std::fs::copy(&secrets, other.path().join("secrets.json")).unwrap();
    let (_second, url2, _) = start(server(&db, other.path()));
    assert!(url2.starts_with("https://127.0.0.1:"));
}
