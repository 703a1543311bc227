//! The team desk with two desktop windows: the real `cashdesk-server` on a
//! test PostgreSQL (its sandbox providers on), and two app processes that
//! join it by URL with the fingerprint confirmed. A desk entry typed and
//! kept on one desktop reaches the server when submitted; an agent's
//! claim shows on the other window while it looks; a supervisor's second
//! approval from the other window sends once; a lost server shows at once
//! on both.

use crate::driver::*;
use crate::steps::*;
use fantoccini::Client;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RINA: &str = "rina-team-2026";
const KARIM: &str = "karim-team-2026";
const SAMI: &str = "sami-team-2026";

fn server_binary() -> PathBuf {
    let bin = app_binary().with_file_name("cashdesk-server");
    assert!(
        bin.exists(),
        "{} is missing: `cargo build --workspace` (scripts/test.sh does)",
        bin.display()
    );
    bin
}

/// The desk server, stopped with the test.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn server_cmd(db: &str, dir: &Path) -> Command {
    let mut c = Command::new(server_binary());
    c.env("CASHDESK_DATABASE_URL", db)
        .env("CASHDESK_DATA_DIR", dir)
        .env("CASHDESK_TEAM_ADDR", "127.0.0.1:0")
        .env("CASHDESK_HTTP_ADDR", "127.0.0.1:0")
        .env("CASHDESK_SERVER_SANDBOX", "1")
        .env("CASHDESK_SANDBOX_INTERVAL_MS", "1500")
        .env("CASHDESK_SANDBOX_SETTLE_MS", "1500")
        .env("CASHDESK_POLL_INTERVAL_MS", "1000")
        .env("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test.team")
        .env_remove("CASHDESK_SECRETS_FILE")
        .env_remove("CREDENTIALS_DIRECTORY")
        .env_remove("CASHDESK_KEYCHAIN");
    c
}

/// Makes the first admin, starts the server; its URL and fingerprint.
fn start_server(db: &str, dir: &Path) -> (Server, String, String) {
    let mut made = server_cmd(db, dir)
        .args(["first-admin", "Rina Akter"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(made.stdin.take().unwrap(), "{RINA}").unwrap();
    assert!(made.wait().unwrap().success(), "first admin made");
    let mut child = server_cmd(db, dir).stdout(Stdio::piped()).spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let server = Server(child);
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("CASHDESK-SERVER-READY ") {
            let (url, print) = rest.split_once(' ').unwrap();
            return (server, url.to_owned(), print.to_owned());
        }
    }
    panic!("the desk server ended before it was ready");
}

/// Each window's log, kept with the screenshots for a failed run.
fn log_file(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}.log")).display().to_string()
}

fn desktop(dir: &Path, name: &str) -> Driver {
    Driver::start(&[
        ("CASHDESK_DATA_DIR", dir.display().to_string()),
        ("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test".into()),
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".into()),
        ("CASHDESK_LOG_FILE", log_file(name)),
        ("RUST_LOG", "info,cashdesk_core::team=debug".into()),
    ])
}

/// First start: "join a team desk", the fingerprint shown is the server's.
async fn join(c: &Client, url: &str, print: &str, shot: &str) {
    find(c, &css("login-screen")).await;
    click(c, "choose-join-team").await;
    type_into(c, "team-url", url).await;
    click(c, "team-probe").await;
    wait_text(c, &css("team-fingerprint"), print, Duration::from_secs(10)).await;
    // The agent types the end of the fingerprint the admin gave them.
    let tail: Vec<&str> = print.rsplit(':').take(2).collect();
    type_into(
        c,
        "team-fingerprint-confirm",
        &format!("{}:{}", tail[1], tail[0]),
    )
    .await;
    screenshot(c, shot).await;
    click(c, "team-join").await;
    find(c, &css("team-badge")).await;
    find(c, &css("login-operator")).await;
}

/// A window's detail of `id` shows `name`'s claim; how long it took.
async fn claim_shown(c: &Client, id: &str, name: &str) -> Duration {
    let banner = format!(
        "{}[data-id=\"{id}\"] {}",
        css("detail"),
        css("claim-banner")
    );
    let start = Instant::now();
    if text_of(c, &banner).await.is_none() {
        let _ = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(fantoccini::Locator::Css(&banner))
            .await;
    }
    if text_of(c, &banner).await.is_none() {
        screenshot(c, "team-failed-claim").await;
    }
    wait_text(c, &banner, name, Duration::from_secs(1)).await;
    start.elapsed()
}

pub async fn two_windows_share_one_queue() {
    let db = cashdesk_store::pg_test::TestDatabase::create()
        .expect("a test PostgreSQL (scripts/test-pg.sh)");
    let (server_dir, a_dir, b_dir) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (mut server, url, print) = start_server(db.url(), server_dir.path());

    // Window A: joins, the admin sets the desk up, then Karim works there.
    let da = desktop(a_dir.path(), "team-window-a");
    let a = da.session().await;
    join(&a, &url, &print, "team-0-join").await;
    log_in(&a, "Rina Akter", RINA).await;
    sees_sandbox(&a).await;
    click(&a, "settings").await;
    add_operator(&a, "Karim Uddin", "agent", KARIM).await;
    add_operator(&a, "Sami Haque", "supervisor", SAMI).await;
    choose_value(&a, "rule-scope", "request").await;
    choose_value(&a, "rule-kind", "withdrawal").await;
    retype(&a, "rule-currency", "BDT").await;
    retype(&a, "rule-threshold", "100").await;
    click(&a, "rule-add").await;
    wait_text(&a, &css("approval-rules"), "100", Duration::from_secs(10)).await;
    // The admin sees the desktops logged in to the desk (her own so far).
    wait_text(
        &a,
        &css("team-sessions"),
        "Rina Akter",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&a, "team-0b-sessions").await;
    click(&a, "settings").await;
    crate::supervisor::open_first_shift(&a).await;
    switch_to(&a, "Karim Uddin", KARIM).await;

    // Window B, another app process: Sami joins and types a desk entry,
    // kept on his desktop until he submits it.
    let db_ = desktop(b_dir.path(), "team-window-b");
    let b = db_.session().await;
    join(&b, &url, &print, "team-1-second-window-join").await;
    log_in(&b, "Sami Haque", SAMI).await;
    click(&b, "new-request").await;
    find(&b, &css("draft-form")).await;
    choose_option(&b, "draft-kind", "Deposit").await;
    choose_option(&b, "draft-account", "Paykassma").await;
    find(
        &b,
        &format!("{} option[value=\"imps\"]", css("draft-method")),
    )
    .await;
    choose_option(&b, "draft-method", "IMPS").await;
    type_into(&b, "draft-amount", "2500").await;
    type_into(&b, "draft-end-user-ref", "in_team_1").await;
    type_into(&b, "draft-trx-id", "498765432199").await;
    let png = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/sandbox/assets/sandbox-receipt.png")
        .canonicalize()
        .unwrap();
    find(&b, &css("draft-screenshot"))
        .await
        .send_keys(&png.display().to_string())
        .await
        .unwrap();
    wait_text(
        &b,
        &css("draft-screenshot-name"),
        "sandbox-receipt.png",
        Duration::from_secs(10),
    )
    .await;
    wait_text(&b, &css("draft-saved"), "Saved", Duration::from_secs(10)).await;
    assert!(
        drafts_at(a_dir.path()) == 0 && drafts_at(b_dir.path()) == 1,
        "the draft is on Sami's desktop only"
    );
    click(&b, "draft-submit").await;
    find(&b, &css("detail-screenshot")).await;
    let entry = find(&b, &css("detail"))
        .await
        .attr("data-id")
        .await
        .unwrap()
        .expect("the submitted request is shown");
    assert_eq!(
        drafts_at(b_dir.path()),
        0,
        "submitted: the local draft is gone"
    );
    // Sami entered it: he does not decide it, so he does not claim it; he
    // keeps it open and sees Karim take it from the other window.
    wait_text(
        &b,
        &css("decide-blocked"),
        "You entered this request",
        Duration::from_secs(10),
    )
    .await;
    click(&a, "tab-queue").await;
    open_row(&a, &entry).await;
    screenshot(&a, "team-2a-karim-opened").await;
    let seen = claim_shown(&b, &entry, "Karim Uddin").await;
    eprintln!("Karim's claim shown in the other window {seen:?} after his detail opened");
    screenshot(&b, "team-2-claim-seen-in-other-window").await;
    click(&a, "approve").await;
    follow_to_done(&a, &entry, "completed").await;

    // Karim approves a large withdrawal: it waits for a second approval,
    // which Sami gives from his window. Sent once.
    click(&a, "tab-queue").await;
    let big = pick_row(
        &a,
        "[data-provider=\"zexabit\"][data-kind=\"withdrawal\"]",
        |d| d.contains("BDT"),
    )
    .await;
    click(&a, "approve").await;
    let waiting = format!(
        "{}[data-id=\"{big}\"][data-status=\"awaiting_second_approval\"]",
        css("queue-row")
    );
    find(&a, &waiting).await;
    click(&b, "supervisor").await;
    click(&b, "sv-tab-attention").await;
    let item = format!(
        "{}[data-id=\"{big}\"][data-why=\"second_approval\"]",
        css("attention-item")
    );
    find(&b, &item).await;
    find(&b, &format!("{item} {}", css("attention-open")))
        .await
        .click()
        .await
        .unwrap();
    find(
        &b,
        &format!(
            "{}[data-id=\"{big}\"] {}",
            css("detail"),
            css("history-item")
        ),
    )
    .await;
    click(&b, "approve").await;
    follow_to_done(&b, &big, "completed").await;
    let detail = format!("{}[data-id=\"{big}\"]", css("detail"));
    wait_text(&b, &detail, "Karim Uddin", Duration::from_secs(10)).await;
    let history = wait_text(&b, &detail, "Sami Haque", Duration::from_secs(10)).await;
    sent_once_to_zexabit(server_dir.path(), &history).await;
    screenshot(&b, "team-3-second-approval-from-other-window").await;

    // The server goes away: both windows say so at once.
    let _ = server.0.kill();
    let _ = server.0.wait();
    let start = Instant::now();
    wait_text(&a, &css("team-lost"), "", Duration::from_secs(10)).await;
    wait_text(&b, &css("team-lost"), "", Duration::from_secs(10)).await;
    eprintln!(
        "server lost shown in both windows after {:?}",
        start.elapsed()
    );
    screenshot(&a, "team-4-server-lost").await;
    let _ = a.close().await;
    let _ = b.close().await;
}

/// Drafts kept in a desktop's own database.
fn drafts_at(dir: &Path) -> i64 {
    let db = rusqlite::Connection::open(dir.join("cashdesk.db")).unwrap();
    db.query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .unwrap()
}
