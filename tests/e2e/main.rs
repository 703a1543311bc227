//! The built Cashdesk app in WebKitGTK under Xvfb, driven over WebDriver as
//! an agent would use it: sandbox queue, approve, reject, drafts across a
//! kill -9, and the supervisor's desk (`supervisor.rs`). Screenshots land
//! in target/e2e-screenshots/.

mod driver;
mod package;
mod scale;
mod seed;
mod steps;
mod supervisor;
mod team;

/// One app window at a time: two on two cores make both time out.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

use driver::*;
use fantoccini::Locator;
use std::time::Duration;
use steps::*;

const RINA: &str = "rina-desk-2026";
const KARIM: &str = "karim-desk-2026";
const SAMI: &str = "sami-desk-2026";

/// Two app processes joined to one `cashdesk-server` (`team.rs`).
#[tokio::test(flavor = "multi_thread")]
async fn two_desktop_windows_share_a_team_desk() {
    let _one_test_at_a_time = SERIAL.lock().await;
    team::two_windows_share_one_queue().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_works_the_sandbox_queue_and_keeps_drafts_across_a_crash() {
    let _one_app_at_a_time = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(&[
        ("CASHDESK_DATA_DIR", data.path().display().to_string()),
        ("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test".into()),
        ("CASHDESK_SANDBOX_INTERVAL_MS", "1500".into()),
        ("CASHDESK_SANDBOX_SETTLE_MS", "1500".into()),
        ("CASHDESK_POLL_INTERVAL_MS", "1000".into()),
        (
            "CASHDESK_EXPORT_DIR",
            data.path().join("exports").display().to_string(),
        ),
        // Without a GPU under Xvfb, WebKitGTK's compositor stops repainting
        // an automated window after the first frame (screenshots go stale).
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".into()),
    ]);
    let c = driver.session().await;

    // First run: the first admin is created (all roles: a desk alone).
    find(&c, &css("login-screen")).await;
    screenshot(&c, "0-first-start").await;
    create_first_admin(&c, "Rina Akter", RINA).await;
    sees_sandbox(&c).await;

    // The admin adds an agent and a supervisor, and a rule: every BDT
    // withdrawal of 100 or more needs a second approval.
    click(&c, "settings").await;
    add_operator(&c, "Karim Uddin", "agent", KARIM).await;
    add_operator(&c, "Sami Haque", "supervisor", SAMI).await;
    choose_value(&c, "rule-scope", "request").await;
    choose_value(&c, "rule-kind", "withdrawal").await;
    retype(&c, "rule-currency", "BDT").await;
    retype(&c, "rule-threshold", "100").await;
    click(&c, "rule-add").await;
    wait_text(&c, &css("approval-rules"), "100", Duration::from_secs(10)).await;
    screenshot(&c, "0b-operators-and-rules").await;
    click(&c, "settings").await;
    supervisor::open_first_shift(&c).await;

    // The supervisor's view: the audit trail shows these changes, and the
    // keyed log verifies.
    click(&c, "supervisor").await;
    click(&c, "sv-tab-audit").await;
    wait_text(
        &c,
        &css("audit-table"),
        "operator.add",
        Duration::from_secs(10),
    )
    .await;
    click(&c, "audit-verify").await;
    wait_text(&c, &css("audit-result"), "Intact", Duration::from_secs(10)).await;
    supervisor::export_audit(&c, &data.path().join("exports")).await;
    screenshot(&c, "0c-audit-trail").await;
    click(&c, "supervisor").await;

    // Each sandbox account's connection is shown, in words.
    let online = format!("{} [data-state=\"online\"]", css("links"));
    let start = std::time::Instant::now();
    while c.find_all(Locator::Css(&online)).await.unwrap().len() < 4 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the four sandbox accounts are not all shown online"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    wait_text(&c, &css("links"), "online", Duration::from_secs(5)).await;
    screenshot(&c, "1-queue").await;

    // Approve a deposit: it goes to Zexabit and completes via the webhook.
    let dep = pick_row(
        &c,
        "[data-provider=\"zexabit\"][data-kind=\"deposit\"]",
        |d| !d.contains("FAKE") && !d.contains("LOST"),
    )
    .await;
    click(&c, "approve").await;
    follow_to_done(&c, &dep, "completed").await;
    screenshot(&c, "2-deposit-completed").await;
    let history = c
        .find_all(Locator::Css(&css("history-item")))
        .await
        .unwrap();
    assert!(
        history.len() >= 5,
        "pending, approved, sending, awaiting provider, completed"
    );
    // The sandbox's lost call: an unknown outcome, settled further down.
    let lost = supervisor::approve_lost_deposit(&c).await;

    // Approve a Zimo-pagos cashout: sent, then settled by the status
    // Zimo-pagos reports after its notification.
    click(&c, "tab-queue").await;
    let zp = pick_row(&c, "[data-provider=\"zimo_pagos\"]", |d| {
        d.contains("MX") && !d.contains("REJECT")
    })
    .await;
    click(&c, "approve").await;
    follow_to_done(&c, &zp, "completed").await;
    screenshot(&c, "2b-cashout-completed").await;

    // Approve a Paykassma deposit: activated by its TrxID, completed by
    // the signed postback. (Sandbox FAKE/SUSPECT/NOTFOUND TrxIDs and the
    // manual system's deposits, which the next step takes, are skipped.)
    click(&c, "tab-queue").await;
    let pk = pick_row(
        &c,
        "[data-provider=\"paykassma\"][data-kind=\"deposit\"]",
        |d| {
            !["FAKE", "SUSPECT", "NOTFOUND", "IMPS"]
                .iter()
                .any(|m| d.contains(m))
        },
    )
    .await;
    click(&c, "approve").await;
    follow_to_done(&c, &pk, "completed").await;
    screenshot(&c, "2c-paykassma-deposit-completed").await;

    // A deposit to Paykassma's IMPS manual system: the customer's
    // screenshot is shown, Paykassma is asked for the savings/minimum, and
    // approving sends a possible transaction with the screenshot.
    click(&c, "tab-queue").await;
    let manual = pick_row(
        &c,
        "[data-provider=\"paykassma\"][data-kind=\"deposit\"]",
        // The method shows at once; the screenshot is awaited below.
        |d| d.contains("IMPS"),
    )
    .await;
    find(&c, &css("detail-screenshot")).await;
    wait_text(
        &c,
        &css("detail-facts"),
        "Minimum deposit",
        Duration::from_secs(15),
    )
    .await;
    screenshot(&c, "2d-manual-deposit-with-screenshot").await;
    click(&c, "approve").await;
    follow_to_done(&c, &manual, "completed").await;

    // CashWeb: approving credits the deposit once CashWeb confirms it;
    // rejecting cancels the transaction at CashWeb.
    click(&c, "tab-queue").await;
    let cw = pick_row(&c, "[data-provider=\"cashweb\"]", |d| {
        !d.contains("abandoned")
    })
    .await;
    click(&c, "approve").await;
    follow_to_done_within(&c, &cw, "completed", Duration::from_secs(90)).await;
    screenshot(&c, "2e-cashweb-credited").await;
    click(&c, "tab-queue").await;
    // A customer who never pays: a paid deposit cannot be cancelled.
    let cw_no = pick_row(&c, "[data-provider=\"cashweb\"]", |d| {
        d.contains("abandoned")
    })
    .await;
    click(&c, "reject").await;
    type_into(&c, "reject-reason", "Customer asked to cancel").await;
    click(&c, "reject-confirm").await;
    follow_to_done(&c, &cw_no, "rejected").await;

    // Desk entry for Paykassma: a manual-system deposit with the payment
    // screenshot attached from a file, submitted, approved, completed.
    click(&c, "new-request").await;
    find(&c, &css("draft-form")).await;
    choose_option(&c, "draft-kind", "Deposit").await;
    choose_option(&c, "draft-account", "Paykassma").await;
    find(
        &c,
        &format!("{} option[value=\"imps\"]", css("draft-method")),
    )
    .await;
    choose_option(&c, "draft-method", "IMPS").await;
    type_into(&c, "draft-amount", "1500").await;
    type_into(&c, "draft-end-user-ref", "in_desk_1").await;
    type_into(&c, "draft-trx-id", "498765432101").await;
    let png = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/sandbox/assets/sandbox-receipt.png")
        .canonicalize()
        .unwrap();
    find(&c, &css("draft-screenshot"))
        .await
        .send_keys(&png.display().to_string())
        .await
        .unwrap();
    wait_text(
        &c,
        &css("draft-screenshot-name"),
        "sandbox-receipt.png",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&c, "2f-desk-manual-deposit").await;
    click(&c, "draft-submit").await;
    find(&c, &css("detail-screenshot")).await;
    let desk = find(&c, &css("detail"))
        .await
        .attr("data-id")
        .await
        .unwrap()
        .expect("the submitted request is shown");
    // Whoever typed it never approves it: the window says so, and another
    // operator approves it further down.
    wait_text(
        &c,
        &css("decide-blocked"),
        "You entered this request",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&c, "2g-desk-entry-needs-another").await;

    // Reject a withdrawal with a reason.
    click(&c, "tab-queue").await;
    let wd = pick_row(
        &c,
        "[data-provider=\"zexabit\"][data-kind=\"withdrawal\"]",
        |_| true,
    )
    .await;
    click(&c, "reject").await;
    type_into(
        &c,
        "reject-reason",
        "Wallet number does not match the customer",
    )
    .await;
    click(&c, "reject-confirm").await;
    follow_to_done(&c, &wd, "rejected").await;
    // The detail may be re-rendering (the list refreshes after a decision):
    // waited for, not read once.
    wait_text(
        &c,
        &format!("{}[data-id=\"{wd}\"]", css("detail")),
        "Wallet number does not match the customer",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&c, "3-withdrawal-rejected").await;

    // CSV import: a file with a refused row files nothing and says why;
    // the corrected file is filed whole.
    let dir = tempfile::tempdir().unwrap();
    let header = "intake_ref,kind,provider,method,amount,currency,end_user_ref,trx_id,destination,details.account_email";
    let good = "csv-1,deposit,paykassma,bkash,750,BDT,bd_csv_1,TRXCSV0001,,";
    let bad = "csv-2,withdrawal,paykassma,bkash,600,BDT,bd_csv_2,,0171,csv2@example.com";
    let fixed = bad.replace(",0171,", ",01712345678,");
    let refused = dir.path().join("refused.csv");
    std::fs::write(&refused, format!("{header}\n{good}\n{bad}\n")).unwrap();
    let ok = dir.path().join("fixed.csv");
    std::fs::write(&ok, format!("{header}\n{good}\n{fixed}\n")).unwrap();
    click(&c, "import-csv").await;
    find(&c, &css("import-file"))
        .await
        .send_keys(&refused.display().to_string())
        .await
        .unwrap();
    wait_text(
        &c,
        &css("import-report"),
        "Nothing was imported",
        Duration::from_secs(10),
    )
    .await;
    let report = text_of(&c, &css("import-report")).await.unwrap_or_default();
    assert!(
        report.contains("account_number"),
        "the refused row says why: {report}"
    );
    screenshot(&c, "3b-csv-refused").await;
    find(&c, &css("import-file"))
        .await
        .send_keys(&ok.display().to_string())
        .await
        .unwrap();
    wait_text(
        &c,
        &css("import-report"),
        "Filed 2",
        Duration::from_secs(10),
    )
    .await;
    click(&c, "import-close").await;

    // Settings: the intake API's address and how to read its token (kept
    // in the keychain, never shown in the window), and an account's
    // reference data from the provider.
    click(&c, "settings").await;
    wait_text(
        &c,
        &css("intake-token-command"),
        "secret-tool lookup service dev.cashdesk.test username app:intake_token",
        Duration::from_secs(10),
    )
    .await;
    let reference = "[data-testid^=\"account-reference-\"]";
    let buttons = c.find_all(Locator::Css(reference)).await.unwrap();
    for b in &buttons {
        if b.text().await.unwrap_or_default().contains("Reference") {
            b.click().await.unwrap();
            break;
        }
    }
    screenshot(&c, "3c-settings").await;
    click(&c, "settings").await;

    // Karim, an agent, approves Rina's desk entry, then a withdrawal above
    // the threshold: it waits for a second approval and he cannot give it.
    switch_to(&c, "Karim Uddin", KARIM).await;
    click(&c, "tab-queue").await;
    open_row(&c, &desk).await;
    click(&c, "approve").await;
    follow_to_done(&c, &desk, "completed").await;
    click(&c, "tab-queue").await;
    let big = pick_row(
        &c,
        "[data-provider=\"zexabit\"][data-kind=\"withdrawal\"]",
        |d| d.contains("BDT"),
    )
    .await;
    click(&c, "approve").await;
    // The selection moves on; the request waits in the queue, marked so.
    let waiting = format!(
        "{}[data-id=\"{big}\"][data-status=\"awaiting_second_approval\"]",
        css("queue-row")
    );
    find(&c, &waiting).await.click().await.unwrap();
    find(&c, &format!("{}[data-id=\"{big}\"]", css("detail"))).await;
    wait_text(
        &c,
        &css("decide-blocked"),
        "supervisor",
        Duration::from_secs(10),
    )
    .await;
    screenshot(&c, "6-awaiting-second-approval").await;

    // Sami, a supervisor, gives the second approval: sent once, completed.
    // He finds it in the supervisor's attention list, opens it from there.
    switch_to(&c, "Sami Haque", SAMI).await;
    click(&c, "supervisor").await;
    click(&c, "sv-tab-attention").await;
    let item = format!(
        "{}[data-id=\"{big}\"][data-why=\"second_approval\"]",
        css("attention-item")
    );
    find(&c, &item).await;
    screenshot(&c, "7a-attention").await;
    find(&c, &format!("{item} {}", css("attention-open")))
        .await
        .click()
        .await
        .unwrap();
    find(
        &c,
        &format!(
            "{}[data-id=\"{big}\"] {}",
            css("detail"),
            css("history-item")
        ),
    )
    .await;
    click(&c, "approve").await;
    follow_to_done(&c, &big, "completed").await;
    // Both approvals are in the history (waited for: the detail can be
    // re-rendering after the list refreshes).
    let detail = format!("{}[data-id=\"{big}\"]", css("detail"));
    wait_text(&c, &detail, "Karim Uddin", Duration::from_secs(10)).await;
    let history = wait_text(&c, &detail, "Sami Haque", Duration::from_secs(10)).await;
    sent_once_to_zexabit(data.path(), &history).await;
    screenshot(&c, "7-second-approval-completed").await;
    supervisor::settle_unknown(&c, &lost).await;

    // The supervisor's desk after this run: the overview, Karim's page,
    // and the shift closed with a planted variance.
    supervisor::overview_and_people(&c, "Karim Uddin").await;
    supervisor::close_shift(&c, SAMI).await;
    click(&c, "supervisor").await;

    // The Done tab exported whole: the file holds as many rows as the
    // window says it saved.
    click(&c, "tab-done").await;
    clear_search(&c).await;
    export_matches(
        &c,
        "export-view",
        "export-result",
        &data.path().join("exports"),
        "cashdesk-done-",
    )
    .await;
    screenshot(&c, "7c-exported").await;

    // Locking the desk hides the work until the same secret is given.
    click(&c, "operator-menu").await;
    click(&c, "menu-lock").await;
    find(&c, &css("lock-screen")).await;
    screenshot(&c, "8-locked").await;
    type_into(&c, "unlock-secret", SAMI).await;
    click(&c, "unlock-submit").await;
    find(&c, &css("queue-row")).await;

    // Type a desk request, then kill the app with SIGKILL.
    click(&c, "new-request").await;
    find(&c, &css("draft-form")).await;
    find(&c, &css("draft-amount"))
        .await
        .send_keys("1234.50")
        .await
        .unwrap();
    find(&c, &css("draft-end-user-ref"))
        .await
        .send_keys("walk-in-42")
        .await
        .unwrap();
    wait_text(&c, &css("draft-saved"), "Saved", Duration::from_secs(10)).await;
    screenshot(&c, "4-draft").await;
    let pids = app_pids(data.path());
    assert_eq!(
        pids.len(),
        1,
        "exactly one app process for this test's data folder"
    );
    std::process::Command::new("kill")
        .args(["-9", &pids[0].to_string()])
        .status()
        .unwrap();
    let _ = c.close().await;

    // Start again: the session is the core's, so Sami logs in again, and
    // the draft Sami typed is there.
    let c = driver.session().await;
    log_in(&c, "Sami Haque", SAMI).await;
    click(&c, "draft-resume").await;
    let amount = find(&c, &css("draft-amount"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(amount, "1234.50", "the typed amount survived kill -9");
    let user = find(&c, &css("draft-end-user-ref"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(user, "walk-in-42");
    screenshot(&c, "5-draft-after-kill").await;
    c.close().await.unwrap();
}
