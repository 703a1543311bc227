//! What a person does in the window, as WebDriver steps: click until it
//! lands, open a row, follow a request to Done, fill forms, log in.

use crate::driver::*;
use fantoccini::{Client, Locator};
use std::time::Duration;

/// Clicks like a person: if the click does not land (the element was
/// re-rendered or covered for a moment), it looks again and clicks again,
/// and gives up after 10 s with the WebDriver error in full and a screenshot.
pub async fn click(c: &Client, testid: &str) {
    let start = std::time::Instant::now();
    loop {
        let e = match find(c, &css(testid)).await.click().await {
            Ok(()) => return,
            Err(e) => e,
        };
        eprintln!("click {testid} did not land: {e:?}");
        if start.elapsed() >= Duration::from_secs(10) {
            screenshot(c, &format!("failed-click-{testid}")).await;
            panic!("click {testid}: {e:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Opens pending rows matching `filter` until one whose detail text
/// passes `accept` (sandbox fakes are skipped), and returns its id.
pub async fn pick_row(c: &Client, filter: &str, accept: impl Fn(&str) -> bool) -> String {
    let selector = format!("{}[data-status=\"pending\"]{filter}", css("queue-row"));
    clear_search(c).await;
    let start = std::time::Instant::now();
    // Each row is opened once: a refused one is not read again.
    let mut tried = std::collections::HashSet::new();
    loop {
        for row in c.find_all(Locator::Css(&selector)).await.unwrap() {
            let Ok(Some(id)) = row.attr("data-id").await else {
                continue;
            };
            if !tried.insert(id.clone()) {
                continue;
            }
            if row.click().await.is_err() {
                continue;
            }
            // The full detail (history and all) has loaded, not only the
            // row. A row the virtual list moved under the pointer opened
            // another: that one is not this, look again.
            let loaded = format!(
                "{}[data-id=\"{id}\"] {}",
                css("detail"),
                css("history-item")
            );
            let opened = c
                .wait()
                .at_most(Duration::from_secs(5))
                .for_element(Locator::Css(&loaded))
                .await
                .is_ok();
            if !opened {
                tried.remove(&id);
                continue;
            }
            if accept(&text_of(c, &css("detail")).await.unwrap_or_default()) {
                return id;
            }
        }
        // Not among the rows on screen: scroll on, as an agent would.
        if scroll_on(c).await {
            continue;
        }
        if start.elapsed() >= Duration::from_secs(40) {
            let mut seen = Vec::new();
            for row in c.find_all(Locator::Css(&selector)).await.unwrap() {
                seen.push(row.text().await.unwrap_or_default().replace('\n', " "));
            }
            let all = c
                .find_all(Locator::Css(&css("queue-row")))
                .await
                .unwrap()
                .len();
            panic!(
                "no pending request matching {filter} appeared; {all} rows listed, matching: {seen:?}"
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Follows a decided request to the Done tab (the selection has moved on),
/// opens it once it is listed with `status`, and waits for the detail to say so.
pub async fn follow_to_done(c: &Client, id: &str, status: &str) {
    click(c, "tab-done").await;
    search_for(c, id).await;
    let selector = format!(
        "{}[data-id=\"{id}\"][data-status=\"{status}\"]",
        css("queue-row")
    );
    find(c, &selector).await.click().await.unwrap();
    find(c, &format!("{}[data-id=\"{id}\"]", css("detail"))).await;
    wait_text(c, &css("detail-status"), status, Duration::from_secs(10)).await;
}

/// Like `follow_to_done`, for outcomes that take the provider a while
/// (a CashWeb deposit is credited once the customer's coins confirm).
pub async fn follow_to_done_within(c: &Client, id: &str, status: &str, timeout: Duration) {
    wait_listed(c, "done", id, status, timeout).await;
    follow_to_done(c, id, status).await;
}

/// Opens the queue's `tab` and waits until request `id` is listed there
/// with `status`.
pub async fn wait_listed(c: &Client, tab: &str, id: &str, status: &str, timeout: Duration) {
    click(c, &format!("tab-{tab}")).await;
    search_for(c, id).await;
    let selector = format!(
        "{}[data-id=\"{id}\"][data-status=\"{status}\"]",
        css("queue-row")
    );
    let start = std::time::Instant::now();
    while c.find(Locator::Css(&selector)).await.is_err() {
        assert!(start.elapsed() < timeout, "{id} never became {status}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Clicks an export button, reads the count the window says it saved
/// ("Saved 1,234 …" in `result`), finds the file whose name starts with
/// `prefix` in `exports`, and checks it holds that many lines after its
/// filter line and header. Returns the count.
pub async fn export_matches(
    c: &Client,
    button: &str,
    result: &str,
    exports: &std::path::Path,
    prefix: &str,
) -> usize {
    click(c, button).await;
    let said = wait_text(c, &css(result), "Saved", Duration::from_secs(20)).await;
    let rows: usize = said
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count in {said:?}"));
    let file = std::fs::read_dir(exports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no {prefix}* file in {}", exports.display()));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.lines().count(),
        rows + 2,
        "filter line, header and every row of {}",
        file.display()
    );
    rows
}

pub async fn choose_option(c: &Client, select: &str, text: &str) {
    let options = c
        .find_all(Locator::Css(&format!("{} option", css(select))))
        .await
        .unwrap();
    for o in options {
        if o.text().await.unwrap_or_default().contains(text) {
            o.click().await.unwrap();
            return;
        }
    }
    panic!("{select} has no option with {text:?}");
}

pub async fn type_into(c: &Client, testid: &str, text: &str) {
    find(c, &css(testid)).await.send_keys(text).await.unwrap();
}

/// Scrolls the queue's list down by a screen (the next page is read near
/// the end); true when it moved.
async fn scroll_on(c: &Client) -> bool {
    let moved = c
        .execute(
            "const l = document.querySelector('[data-testid=\"queue-list\"]');
             if (!l) return false;
             const s = [l, ...l.querySelectorAll('*')].find((e) =>
               e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible');
             if (!s) return false;
             const before = s.scrollTop;
             s.scrollTop = before + s.clientHeight;
             return s.scrollTop !== before;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if moved {
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    moved
}

/// Narrows the queue to request `id` with the search box: the list mounts
/// only the rows on screen, and the core's search knows every request's id.
/// The search stays until a step needs the whole queue again.
pub async fn search_for(c: &Client, id: &str) {
    clear_search(c).await;
    type_into(c, "queue-search", id).await;
}

/// Empties the search box (Escape clears it) if anything is typed there.
pub async fn clear_search(c: &Client) {
    let search = find(c, &css("queue-search")).await;
    let typed = search
        .prop("value")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    if !typed.is_empty() {
        search.send_keys("\u{e00c}").await.unwrap();
    }
}

/// Opens the row of request `id` in the current tab and waits for its detail.
pub async fn open_row(c: &Client, id: &str) {
    let row = format!("{}[data-id=\"{id}\"]", css("queue-row"));
    search_for(c, id).await;
    let start = std::time::Instant::now();
    while c.find(Locator::Css(&row)).await.is_err() {
        if start.elapsed() > Duration::from_secs(20) {
            screenshot(c, "failed-open-row").await;
            panic!("request {id} is not listed");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    find(c, &row).await.click().await.unwrap();
    find(
        c,
        &format!(
            "{}[data-id=\"{id}\"] {}",
            css("detail"),
            css("history-item")
        ),
    )
    .await;
}

/// Logs `name` in through the operator menu's "Switch operator".
pub async fn switch_to(c: &Client, name: &str, secret: &str) {
    click(c, "operator-menu").await;
    click(c, "menu-switch").await;
    log_in(c, name, secret).await;
}

/// A new desk's first start: the first admin is made (all roles) and the
/// queue shows its first row.
pub async fn create_first_admin(c: &Client, name: &str, secret: &str) {
    find(c, &css("login-screen")).await;
    type_into(c, "first-admin-name", name).await;
    type_into(c, "first-admin-secret", secret).await;
    type_into(c, "first-admin-confirm", secret).await;
    click(c, "first-admin-create").await;
    find(c, &css("queue-row")).await;
}

/// The banner that says no provider is configured and the queue is fake.
pub async fn sees_sandbox(c: &Client) {
    wait_text(
        c,
        &css("sandbox-banner"),
        "Sandbox",
        Duration::from_secs(10),
    )
    .await;
}

/// Fills the log-in form (shown after a start or a switch).
pub async fn log_in(c: &Client, name: &str, secret: &str) {
    find(c, &css("login-screen")).await;
    choose_option(c, "login-operator", name).await;
    type_into(c, "login-secret", secret).await;
    click(c, "login-submit").await;
    wait_text(c, &css("operator-menu"), name, Duration::from_secs(10)).await;
}

/// Settings → Operators → Add operator, with one role and a password.
pub async fn add_operator(c: &Client, name: &str, role: &str, secret: &str) {
    click(c, "operator-add").await;
    type_into(c, "operator-name", name).await;
    // Exactly the one role ticked, whatever the form starts with.
    for r in ["agent", "supervisor", "admin"] {
        let b = find(c, &css(&format!("operator-role-{r}"))).await;
        let on = b.prop("checked").await.unwrap().as_deref() == Some("true");
        if on != (r == role) {
            b.click().await.unwrap();
        }
    }
    type_into(c, "operator-secret", secret).await;
    click(c, "operator-save").await;
    wait_text(c, &css("operators"), name, Duration::from_secs(10)).await;
}

/// Picks the `<option value="…">` of a select.
pub async fn choose_value(c: &Client, select: &str, value: &str) {
    find(c, &format!("{} option[value=\"{value}\"]", css(select)))
        .await
        .click()
        .await
        .unwrap();
}

/// Replaces an input's text.
pub async fn retype(c: &Client, testid: &str, text: &str) {
    let e = find(c, &css(testid)).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// The withdrawal whose provider id `detail` shows reached the simulated
/// Zexabit exactly once: counted at the provider, from what the sandbox
/// writes it received (`<data>/sandbox/zexabit-received.json`).
pub async fn sent_once_to_zexabit(data: &std::path::Path, detail: &str) {
    let id = detail
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.starts_with("wdr_"))
        .unwrap_or_else(|| panic!("the provider's id is shown: {detail}"))
        .to_owned();
    let file = data.join("sandbox").join("zexabit-received.json");
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let rows: Vec<serde_json::Value> = std::fs::read_to_string(&file)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        if let Some(me) = rows.iter().find(|r| r["id"] == id.as_str()) {
            let copies = rows
                .iter()
                .filter(|r| {
                    ["external_user_id", "account_number", "amount"]
                        .iter()
                        .all(|k| r[*k] == me[*k])
                })
                .count();
            assert_eq!(copies, 1, "sent once to the provider: {rows:?}");
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id} never reached the simulated provider: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
