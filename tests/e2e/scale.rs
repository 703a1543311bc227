//! The queue at 100,000 stored requests, in the real window: a TrxID found
//! by search, a reused TrxID's banner naming the earlier request, the rows
//! mounted while scrolling counted, ten requests triaged from the keyboard
//! alone, and the screen in Bengali, Urdu (mirrored) and the dark theme.

use crate::driver::*;
use crate::seed::{DUPLICATE_TRX, seed};
use crate::steps::*;
use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use std::time::{Duration, Instant};

const ROWS: u64 = 100_000;
const ADMIN: &str = "nadia-desk-2026";
const ENTER: char = '\u{e007}';

/// Presses `key` wherever the focus is, as a person at the keyboard would.
async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.unwrap();
    c.release_actions().await.unwrap();
}

async fn js_number(c: &Client, script: &str) -> u64 {
    c.execute(script, vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0)
}

const MOUNTED: &str = "return document.querySelectorAll('[data-testid=\"queue-row\"]').length;";

async fn selected(c: &Client) -> Option<String> {
    c.find(fantoccini::Locator::Css(&css("detail")))
        .await
        .ok()?
        .attr("data-id")
        .await
        .ok()
        .flatten()
}

/// Waits until the detail shows another request than `was`.
async fn moved_on(c: &Client, was: &str) -> String {
    let start = Instant::now();
    loop {
        if let Some(now) = selected(c).await
            && now != was
        {
            return now;
        }
        if start.elapsed() > Duration::from_secs(15) {
            screenshot(c, "failed-triage").await;
            panic!("the selection did not move on from {was}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_agent_finds_and_triages_by_keyboard_among_a_hundred_thousand_requests() {
    let _one_app_at_a_time = crate::SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let s = seed(data.path(), ROWS);
    eprintln!("seeded {ROWS} requests in {:?}", started.elapsed());
    let driver = Driver::start(&[
        ("CASHDESK_DATA_DIR", data.path().display().to_string()),
        ("CASHDESK_KEYCHAIN_SERVICE", "dev.cashdesk.test".into()),
        ("CASHDESK_NOTIFICATIONS", "off".into()),
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1".into()),
    ]);
    let c = driver.session().await;
    create_first_admin(&c, "Nadia Islam", ADMIN).await;
    screenshot(&c, "s1-queue-100k").await;

    // Only the rows on screen are mounted, however far the agent scrolls.
    let mut most = js_number(&c, MOUNTED).await;
    for _ in 0..40 {
        c.execute(
            "const s = [...document.querySelectorAll('*')].find(e =>
               e.querySelector('[data-testid=\"queue-row\"]') &&
               e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible');
             s.scrollTop = s.scrollTop + s.clientHeight;",
            vec![],
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(120)).await;
        most = most.max(js_number(&c, MOUNTED).await);
    }
    let far = js_number(
        &c,
        "const r = document.querySelector('[data-testid=\"queue-row\"]');
         const s = [...document.querySelectorAll('*')].find(e =>
           e.querySelector('[data-testid=\"queue-row\"]') &&
           e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible');
         return Math.round(s.scrollTop / r.offsetHeight);",
    )
    .await;
    eprintln!("scrolled to row index {far}; at most {most} rows mounted");
    assert!(far > 300, "scrolled past the first pages: row {far}");
    assert!(most <= 80, "{most} rows mounted at once");
    screenshot(&c, "s2-scrolled").await;

    // A TrxID in the middle of 100,000 is found by the search box.
    search_for(&c, &s.probe_trx).await;
    let row = format!("{}[data-id=\"{}\"]", css("queue-row"), s.probe);
    find(&c, &row).await;
    wait_count(&c, 1).await;
    screenshot(&c, "s3-found-among-100k").await;

    // The reused TrxID: both deposits are found by it, and the later one's
    // banner names the earlier one (by the end of its id), which opens.
    search_for(&c, DUPLICATE_TRX).await;
    wait_count(&c, 2).await;
    open_row(&c, &s.second_dup).await;
    let banner = format!("{}[data-kind=\"same_reference\"]", css("risk-banner"));
    wait_text(&c, &banner, &s.first_dup[28..], Duration::from_secs(10)).await;
    screenshot(&c, "s4-duplicate-trxid").await;
    find(&c, &format!("{banner} {}", css("risk-open")))
        .await
        .click()
        .await
        .unwrap();
    find(
        &c,
        &format!("{}[data-id=\"{}\"]", css("detail"), s.first_dup),
    )
    .await;

    // Ten requests triaged from the keyboard alone: a approves and moves on;
    // r, 1 and Enter reject with the first usual reason and move on.
    clear_search(&c).await;
    click(&c, "tab-queue").await;
    find(&c, &css("queue-row")).await;
    press(&c, 'j').await;
    let mut was = moved_or_same(&c).await;
    for n in 0..10 {
        if n % 3 == 2 {
            press(&c, 'r').await;
            find(&c, &css("reject-reason")).await;
            press(&c, '1').await;
            press(&c, ENTER).await;
        } else {
            press(&c, 'a').await;
        }
        was = moved_on(&c, &was).await;
    }
    screenshot(&c, "s5-triaged-by-keyboard").await;
    let decided = count_decisions(data.path());
    assert_eq!(decided, (7, 3), "approved, rejected");

    // The same screen in Bengali, in Urdu (right to left) and dark.
    click(&c, "settings").await;
    choose_value(&c, "prefs-language", "bn").await;
    click(&c, "settings").await;
    screenshot(&c, "s6-bengali").await;
    click(&c, "settings").await;
    choose_value(&c, "prefs-language", "ur").await;
    click(&c, "settings").await;
    let dir = c
        .execute("return document.documentElement.dir;", vec![])
        .await
        .unwrap();
    assert_eq!(dir.as_str(), Some("rtl"), "Urdu mirrors the layout");
    screenshot(&c, "s7-urdu-rtl").await;
    click(&c, "settings").await;
    choose_value(&c, "prefs-language", "en").await;
    choose_value(&c, "prefs-theme", "dark").await;
    click(&c, "settings").await;
    screenshot(&c, "s8-dark").await;
    c.close().await.unwrap();
}

/// The detail's request once one is selected.
async fn moved_or_same(c: &Client) -> String {
    let start = Instant::now();
    loop {
        if let Some(id) = selected(c).await {
            return id;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nothing selected"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn wait_count(c: &Client, want: usize) {
    let start = Instant::now();
    loop {
        let n = js_number(c, MOUNTED).await as usize;
        if n == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{n} rows, want {want}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Approvals and rejections people made, as the app stored them.
fn count_decisions(data: &std::path::Path) -> (i64, i64) {
    let c = rusqlite::Connection::open_with_flags(
        data.join("cashdesk.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let n = |a: &str| -> i64 {
        c.query_row(
            "SELECT count(*) FROM decisions WHERE action = ?1",
            [a],
            |r| r.get(0),
        )
        .unwrap()
    };
    (n("approve"), n("reject"))
}
