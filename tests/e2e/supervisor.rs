//! The supervisor's desk in the real window: the first shift opened with
//! a typed balance, an unknown outcome settled from the attention list,
//! and later the overview's charts after a sandbox run, an agent's page,
//! and a shift close with a planted variance signed, reported and exported.

use crate::driver::*;
use crate::steps::*;
use fantoccini::{Client, Locator};
use std::time::Duration;

/// Opens the first shift: Paykassma's balances as its simulator reports
/// them, and a typed opening balance for the Zexabit account.
pub async fn open_first_shift(c: &Client) {
    click(c, "supervisor").await;
    click(c, "sv-tab-shift").await;
    find(c, &css("shift-open-form")).await;
    click(c, "shift-add-balance").await;
    choose_option(c, "shift-balance-account", "Zexabit").await;
    retype(c, "shift-balance-currency", "BDT").await;
    retype(c, "shift-balance-amount", "50000").await;
    click(c, "shift-open").await;
    find(c, &css("shift-info")).await;
    click(c, "supervisor").await;
}

/// Approves the sandbox's `LOST` deposit: its call never reaches Zexabit,
/// so nobody can say whether it arrived and it waits in Needs attention.
pub async fn approve_lost_deposit(c: &Client) -> String {
    click(c, "tab-queue").await;
    let id = pick_row(
        c,
        "[data-provider=\"zexabit\"][data-kind=\"deposit\"]",
        |d| d.contains("LOST"),
    )
    .await;
    click(c, "approve").await;
    wait_listed(
        c,
        "attention",
        &id,
        "outcome_unknown",
        Duration::from_secs(30),
    )
    .await;
    id
}

/// A supervisor settles that unknown outcome from the attention list,
/// with the evidence beside it: Zexabit never received it, so it is sent
/// again (same reference) and completes on Zexabit's word.
pub async fn settle_unknown(c: &Client, id: &str) {
    click(c, "supervisor").await;
    click(c, "sv-tab-attention").await;
    let item = format!(
        "{}[data-id=\"{id}\"][data-why=\"outcome_unknown\"]",
        css("attention-item")
    );
    wait_text(
        c,
        &format!("{item} {}", css("attention-action")),
        "not received",
        Duration::from_secs(10),
    )
    .await;
    screenshot(c, "7b-attention-unknown-outcome").await;
    find(c, &format!("{item} {}", css("attention-open")))
        .await
        .click()
        .await
        .unwrap();
    find(c, &format!("{}[data-id=\"{id}\"]", css("detail"))).await;
    click(c, "settle").await;
    click(c, "settle-outcome-not_received").await;
    type_into(
        c,
        "settle-note",
        "Zexabit support: no deposit with this TrxID arrived",
    )
    .await;
    click(c, "settle-continue").await;
    screenshot(c, "7c-settle-not-received").await;
    click(c, "settle-confirm").await;
    follow_to_done_within(c, id, "completed", Duration::from_secs(30)).await;
    // The supervisor's note is in the history: waited for, not read once
    // (the detail can be re-rendering after the list refreshes).
    wait_text(
        c,
        &format!("{}[data-id=\"{id}\"]", css("detail")),
        "no deposit with this TrxID arrived",
        Duration::from_secs(10),
    )
    .await;
    screenshot(c, "7d-unknown-settled-and-completed").await;
}

/// Exports the whole audit log: the file holds as many entries as the
/// window says it saved (every one, not the 50 shown).
pub async fn export_audit(c: &Client, exports: &std::path::Path) {
    let rows = export_matches(
        c,
        "audit-export",
        "audit-export-result",
        exports,
        "cashdesk-audit-",
    )
    .await;
    assert!(rows > 0, "the audit log has entries");
}

/// The overview after the sandbox has run a while, and an agent's page.
pub async fn overview_and_people(c: &Client, agent: &str) {
    click(c, "supervisor").await;
    find(c, &css("overview")).await;
    click(c, "overview-range-day").await;
    // Decisions made earlier in this run are counted.
    let start = std::time::Instant::now();
    loop {
        let text = text_of(c, &css("ov-decided")).await.unwrap_or_default();
        if text.chars().any(|ch| ch.is_ascii_digit() && ch != '0') {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the overview counts no decisions: {text}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    for chart in [
        "chart-throughput-agent",
        "chart-throughput-provider",
        "chart-rejections",
    ] {
        find(c, &css(chart)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    screenshot(c, "9a-overview").await;
    // Scrolled to the charts as a click does (WebDriver brings the
    // element into view first).
    let _ = find(c, &css("chart-rejections-figure")).await.click().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(c, "9a2-overview-charts").await;

    click(c, "sv-tab-people").await;
    let rows = format!("{} {}", css("people-list"), css("people-row"));
    find(c, &rows).await;
    let mut opened = false;
    for row in c.find_all(Locator::Css(&rows)).await.unwrap() {
        if row.text().await.unwrap_or_default().contains(agent) {
            row.click().await.unwrap();
            opened = true;
            break;
        }
    }
    assert!(opened, "{agent} is in the people list");
    wait_text(c, &css("person-name"), agent, Duration::from_secs(10)).await;
    find(c, &css("person-decision")).await;
    screenshot(c, "9b-agent-page").await;
}

/// Closes the shift: typed balances where the provider reports none (one
/// of them 10 short, with a reason), a reason for every other variance,
/// the signature; then the report and its export.
pub async fn close_shift(c: &Client, secret: &str) {
    click(c, "sv-tab-shift").await;
    find(c, &css("shift-info")).await;
    click(c, "shift-preview").await;
    find(c, &css("shift-close-preview")).await;
    let lines = c.find_all(Locator::Css(&css("shift-line"))).await.unwrap();
    assert!(!lines.is_empty(), "the close has lines");
    let mut planted = false;
    for line in &lines {
        let Ok(input) = line.find(Locator::Css(&css("shift-closing"))).await else {
            continue;
        };
        let expected = line
            .attr("data-expected")
            .await
            .unwrap()
            .expect("each line carries its expected balance");
        let typed = if planted {
            expected
        } else {
            planted = true;
            planted_short(&expected)
        };
        input.send_keys(&typed).await.unwrap();
    }
    assert!(planted, "a line is typed by hand (the Zexabit account)");
    // Every line with a variance asks for a reason.
    for line in c.find_all(Locator::Css(&css("shift-line"))).await.unwrap() {
        if let Ok(reason) = line.find(Locator::Css(&css("shift-reason"))).await {
            reason
                .send_keys("Counted in the drawer: 10 short")
                .await
                .unwrap();
        }
    }
    type_into(c, "shift-secret", secret).await;
    screenshot(c, "9c-shift-close-review").await;
    click(c, "shift-sign").await;
    wait_text(
        c,
        &css("shift-report"),
        "Shift report",
        Duration::from_secs(20),
    )
    .await;
    let variances = text_of(c, &css("shift-variances"))
        .await
        .unwrap_or_default();
    assert!(
        !variances.starts_with('0') && !variances.contains("No variance"),
        "the planted variance is reported: {variances}"
    );
    click(c, "shift-export").await;
    wait_text(
        c,
        &css("shift-export-result"),
        "Saved to",
        Duration::from_secs(10),
    )
    .await;
    screenshot(c, "9d-shift-report").await;
}

/// `expected` − 10, as exact decimal text.
fn planted_short(expected: &str) -> String {
    let v: rust_decimal::Decimal = expected.parse().expect("a decimal");
    (v - rust_decimal::Decimal::TEN).to_string()
}
