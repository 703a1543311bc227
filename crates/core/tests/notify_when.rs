//! When notifications are shown: not while the window has the focus (the
//! agent sees the queue), never when switched off in the app, and a
//! request past its due time announced once to a supervisor. Against a
//! real notification server on D-Bus (scripts/test-session.sh).

mod common;

use cashdesk_core::api::notify_prefs::{self, NotifyPrefs, NotifyWhen};
use cashdesk_core::notify::{self, NoticeKind};
use cashdesk_core::{Cashdesk, Config, intake};
use cashdesk_domain::{ProviderKind, RequestKind, Role};
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Watches the session bus for Notify calls.
struct Monitor {
    child: Child,
    lines: Receiver<String>,
}

impl Monitor {
    async fn start() -> Monitor {
        assert!(
            notify::server_present().await.unwrap_or(false),
            "needs a notification server on the session bus: run through scripts/test.sh"
        );
        let mut child = Command::new("dbus-monitor")
            .args([
                "--session",
                "interface=org.freedesktop.Notifications,member=Notify",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-monitor");
        let (tx, lines) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        Monitor { child, lines }
    }

    /// Whether a notification containing `text` comes within `wait`.
    fn sees(&self, text: &str, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100))
                && line.contains(text)
            {
                return true;
            }
        }
        false
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file(app: &Cashdesk, acc: cashdesk_domain::AccountId, name: &str) {
    let mut req = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        RequestKind::Deposit,
        ProviderKind::Zexabit,
        Some(acc),
        ("bkash", "500", "BDT"),
    );
    req.end_user_name = Some(name.into());
    req.provider_user_id = Some("68abc".into());
    req.agent_number = Some("01712345678".into());
    intake::submit(app, &req).unwrap();
}

#[test]
fn what_is_shown_follows_the_preferences_the_focus_and_the_role() {
    let p = NotifyPrefs::default();
    assert_eq!(p.when, NotifyWhen::Unfocused, "the default");
    assert!(notify::wanted(&p, false, false, NoticeKind::NewRequest));
    assert!(!notify::wanted(&p, true, false, NoticeKind::NewRequest));
    assert!(
        !notify::wanted(&p, false, false, NoticeKind::Breach),
        "agents"
    );
    assert!(notify::wanted(&p, false, true, NoticeKind::Breach));
    let always = NotifyPrefs {
        when: NotifyWhen::Always,
        ..p.clone()
    };
    assert!(notify::wanted(&always, true, false, NoticeKind::Outcome));
    let quiet = NotifyPrefs {
        outcomes: false,
        ..always.clone()
    };
    assert!(!notify::wanted(&quiet, false, true, NoticeKind::Outcome));
    let never = NotifyPrefs {
        when: NotifyWhen::Never,
        ..p
    };
    assert!(!notify::wanted(&never, false, true, NoticeKind::NewRequest));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_focused_window_is_not_notified_and_the_apps_switch_turns_them_off() {
    let monitor = Monitor::start().await;
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(Config {
        notifications: true,
        ..config(dir.path())
    })
    .await
    .unwrap();
    act_as(&app, "Owner");
    let acc = offline_zexabit_account(&app);

    app.window_focused(true);
    file(&app, acc, "Focused Fay");
    assert!(!monitor.sees("Focused Fay", Duration::from_secs(2)));
    app.window_focused(false);
    file(&app, acc, "Away Ava");
    assert!(monitor.sees("Away Ava", Duration::from_secs(10)));

    let never = NotifyPrefs {
        when: NotifyWhen::Never,
        ..NotifyPrefs::default()
    };
    assert_eq!(notify_prefs::set_notify_prefs(&app, &never).unwrap(), never);
    file(&app, acc, "Never Nia");
    assert!(!monitor.sees("Never Nia", Duration::from_secs(2)));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_past_due_are_announced_to_a_supervisor_once_in_one_notice() {
    let monitor = Monitor::start().await;
    let dir = tempfile::tempdir().unwrap();
    {
        let app = Cashdesk::open(config(dir.path())).unwrap();
        act_as(&app, "Owner");
        add_person(&app, "Agnes", &[Role::Agent]);
        let acc = offline_zexabit_account(&app);
        file(&app, acc, "Late Lina");
        file(&app, acc, "Late Leo");
    }
    // Time passes: the request's due time (arrival + SLA) is behind us.
    let db = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    db.execute("UPDATE requests SET due_ms = due_ms - 3600000", [])
        .unwrap();
    drop(db);
    let start = || async {
        Cashdesk::start(Config {
            notifications: true,
            ..config(dir.path())
        })
        .await
        .unwrap()
    };
    let app = start().await;
    act_as(&app, "Owner");
    // Both in one notice, not a trickle of one per request.
    assert!(monitor.sees("2 requests past due", Duration::from_secs(10)));
    app.shutdown().await;
    drop(app);
    // Announced once: not again after a restart.
    let app = start().await;
    act_as(&app, "Owner");
    assert!(!monitor.sees("Past due", Duration::from_secs(4)));
    app.shutdown().await;
}
