//! Desktop notifications against a real notification server on D-Bus
//! (dunst, started by scripts/test-session.sh), and without one.

mod common;

use cashdesk_core::{Cashdesk, Config, api, intake, notify};
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn a_new_request_raises_a_desktop_notification() {
    assert!(
        notify::server_present().await.unwrap_or(false),
        "needs a notification server on the session bus: run through scripts/test.sh"
    );
    let mut monitor = Command::new("dbus-monitor")
        .args([
            "--session",
            "interface=org.freedesktop.Notifications,member=Notify",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-monitor (package dbus) is installed by scripts/test.sh");
    let (tx, rx) = std::sync::mpsc::channel();
    let out = monitor.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;

    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::start(Config {
        notifications: true,
        ..config(dir.path())
    })
    .await
    .unwrap();
    let account = add_zexabit_account(&app, &sim);
    api::desk::list_methods(&app, account).await.unwrap();
    intake::submit(
        &app,
        &intake::IntakeRequest {
            intake_ref: "n1".into(),
            kind: cashdesk_domain::RequestKind::Deposit,
            provider: cashdesk_domain::ProviderKind::Zexabit,
            account_id: Some(account),
            method: "bkash".into(),
            amount: "500".into(),
            currency: "BDT".into(),
            end_user_ref: "usr_abc123".into(),
            // Markup in a name is shown as typed, never as markup.
            end_user_name: Some("Karim <a href=\"x\">&</a>".into()),
            provider_user_id: Some("68abc".into()),
            trx_id: Some("TRX1".into()),
            sender: None,
            agent_number: Some("01712345678".into()),
            destination: None,
            details: serde_json::json!({}),
            screenshot: None,
        },
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.push_str(&line);
            seen.push('\n');
            // The body comes on the line after the summary.
            if line.contains("Karim") {
                break;
            }
        }
    }
    let _ = monitor.kill();
    let _ = monitor.wait();
    assert!(seen.contains("\"Cashdesk\""), "sent as Cashdesk:\n{seen}");
    assert!(
        seen.contains("New deposit · 500.00 BDT · bKash"),
        "notification not seen on D-Bus:\n{seen}"
    );
    assert!(
        seen.contains("Karim &lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"),
        "the name escaped for the server's markup:\n{seen}"
    );
    app.shutdown().await;
}

/// Child half: runs on a private bus with no notification server.
#[tokio::test]
async fn child_send_without_server() {
    if std::env::var_os("CASHDESK_NOTIFY_CHILD").is_none() {
        return;
    }
    let started = Instant::now();
    let result = notify::send("New deposit", "test").await;
    println!(
        "RESULT={result:?} ELAPSED_MS={}",
        started.elapsed().as_millis()
    );
}

#[test]
fn without_a_notification_server_sending_fails_fast_instead_of_hanging() {
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .env("XDG_DATA_DIRS", "/nonexistent")
        .env("XDG_DATA_HOME", "/nonexistent")
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-daemon");
    let mut addr = String::new();
    BufReader::new(daemon.stdout.take().unwrap())
        .read_line(&mut addr)
        .unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_send_without_server", "--nocapture"])
        .env("CASHDESK_NOTIFY_CHILD", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", addr.trim())
        .output()
        .unwrap();
    let _ = daemon.kill();
    let _ = daemon.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("RESULT=Err(NoServer)"), "{text}");
}

#[test]
fn bursts_are_grouped_into_one_notification() {
    let n = |s: &str| notify::Notice {
        summary: s.into(),
        body: String::new(),
        kind: notify::NoticeKind::NewRequest,
    };
    assert_eq!(notify::group(&[n("a")]).unwrap().summary, "a");
    let g = notify::group(&[n("a"), n("b"), n("c")]).unwrap();
    assert_eq!(g.summary, "3 new requests");
    assert!(notify::group(&[]).is_none());
}
