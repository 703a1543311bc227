//! Desktop notifications (freedesktop Notifications over D-Bus).
//!
//! Sent from a background task, never the UI thread, each call bounded by a
//! timeout, and only after checking that a notification server owns the bus
//! name: D-Bus activation of a missing server can block for 25 s.

pub use crate::api::notify_prefs::{NotifyPrefs, NotifyWhen};
use crate::app::Cashdesk;
use cashdesk_store::RequestRecord;
use std::time::Duration;

const SERVER: &str = "org.freedesktop.Notifications";
const TIMEOUT: Duration = Duration::from_secs(3);
/// Notices arriving within this window after one shown are grouped into one.
const GROUP_WINDOW: Duration = Duration::from_millis(700);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    NewRequest,
    /// A request ended (completed, refused by the provider, failed).
    Outcome,
    /// A waiting request passed its due time: for supervisors.
    Breach,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub summary: String,
    pub body: String,
    pub kind: NoticeKind,
}

fn kind_word(rec: &RequestRecord) -> &'static str {
    match rec.kind {
        cashdesk_domain::RequestKind::Deposit => "deposit",
        cashdesk_domain::RequestKind::Withdrawal => "withdrawal",
    }
}

impl Notice {
    /// "New deposit · 500.00 BDT · bKash"
    pub fn new_request(rec: &RequestRecord, method_label: &str) -> Notice {
        Notice {
            summary: format!("New {} · {} · {}", kind_word(rec), rec.money, method_label),
            body: format!(
                "{} · {}",
                rec.provider.label(),
                rec.end_user_name.as_deref().unwrap_or(&rec.end_user_ref)
            ),
            kind: NoticeKind::NewRequest,
        }
    }

    /// One notice for the requests that passed their due time since the
    /// last look: the request itself when one, else how many.
    pub fn breaches(late: &[RequestRecord]) -> Option<Notice> {
        match late {
            [] => None,
            [one] => Some(Notice::breach(one)),
            many => Some(Notice {
                summary: format!("{} requests past due", many.len()),
                body: many
                    .iter()
                    .take(4)
                    .map(|r| format!("{} {} · {}", kind_word(r), r.money, r.method))
                    .collect::<Vec<_>>()
                    .join("\n"),
                kind: NoticeKind::Breach,
            }),
        }
    }

    /// "Past due · deposit 500.00 BDT · bKash"
    pub fn breach(rec: &RequestRecord) -> Notice {
        let due = rec
            .due
            .map(|d| format!("due {} UTC", d.format("%H:%M")))
            .unwrap_or_default();
        Notice {
            summary: format!(
                "Past due · {} {} · {}",
                kind_word(rec),
                rec.money,
                rec.method
            ),
            body: format!(
                "{} · {} · {due}",
                rec.provider.label(),
                rec.end_user_name.as_deref().unwrap_or(&rec.end_user_ref)
            ),
            kind: NoticeKind::Breach,
        }
    }

    pub fn outcome(rec: &RequestRecord) -> Notice {
        Notice {
            summary: format!(
                "{} {} · {}",
                capitalise(kind_word(rec)),
                rec.status.label(),
                rec.money
            ),
            body: rec
                .provider_reason
                .clone()
                .or_else(|| rec.status_reason.clone())
                .unwrap_or_default(),
            kind: NoticeKind::Outcome,
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("no desktop session bus: {0}")]
    NoBus(String),
    #[error("no notification server is running")]
    NoServer,
    #[error("the notification server did not answer within {0:?}")]
    Timeout(Duration),
    #[error("notification failed: {0}")]
    Failed(String),
}

/// Whether a notification server currently owns its bus name.
pub async fn server_present() -> Result<bool, NotifyError> {
    let check = async {
        let conn = zbus::Connection::session()
            .await
            .map_err(|e| NotifyError::NoBus(e.to_string()))?;
        let proxy = zbus::fdo::DBusProxy::new(&conn)
            .await
            .map_err(|e| NotifyError::NoBus(e.to_string()))?;
        let name = zbus::names::BusName::try_from(SERVER)
            .map_err(|e| NotifyError::Failed(e.to_string()))?;
        proxy
            .name_has_owner(name)
            .await
            .map_err(|e| NotifyError::Failed(e.to_string()))
    };
    tokio::time::timeout(TIMEOUT, check)
        .await
        .map_err(|_| NotifyError::Timeout(TIMEOUT))?
}

/// Shows one notification; returns quickly with an error when it cannot.
pub async fn send(summary: &str, body: &str) -> Result<(), NotifyError> {
    if !server_present().await? {
        return Err(NotifyError::NoServer);
    }
    let (summary, body) = (summary.to_owned(), escape_markup(body));
    let show = tokio::task::spawn_blocking(move || {
        notify_rust::Notification::new()
            .appname("Cashdesk")
            .summary(&summary)
            .body(&body)
            .show()
            .map(|_| ())
            .map_err(|e| NotifyError::Failed(e.to_string()))
    });
    match tokio::time::timeout(TIMEOUT, show).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(NotifyError::Failed(e.to_string())),
        Err(_) => Err(NotifyError::Timeout(TIMEOUT)),
    }
}

/// Bodies may be read as markup by the notification server (the spec's
/// `body-markup`); names and provider reasons come from outside, so a
/// customer called `<a href=…>` is shown as typed, never as a link.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Groups a burst: one notice as it is, several as "N new requests".
pub fn group(batch: &[Notice]) -> Option<Notice> {
    match batch {
        [] => None,
        [one] => Some(one.clone()),
        many => {
            let count = |k| many.iter().filter(|n| n.kind == k).count();
            let (new, late) = (count(NoticeKind::NewRequest), count(NoticeKind::Breach));
            let summary = if new == many.len() {
                format!("{new} new requests")
            } else if late == many.len() {
                format!("{late} requests past due")
            } else {
                format!("{} updates ({new} new requests)", many.len())
            };
            let body = many
                .iter()
                .take(4)
                .map(|n| n.summary.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let kind = match (new, late) {
                (n, _) if n > 0 => NoticeKind::NewRequest,
                (_, l) if l == many.len() => NoticeKind::Breach,
                _ => NoticeKind::Outcome,
            };
            Some(Notice {
                summary,
                body,
                kind,
            })
        }
    }
}

/// Whether this notice is shown, by the desk's preferences, whether the
/// window has focus (the agent is looking at the queue already) and who is
/// at the desk (breaches are for supervisors).
pub fn wanted(prefs: &NotifyPrefs, focused: bool, supervisor: bool, kind: NoticeKind) -> bool {
    let now = match prefs.when {
        NotifyWhen::Never => false,
        NotifyWhen::Unfocused => !focused,
        NotifyWhen::Always => true,
    };
    now && match kind {
        NoticeKind::NewRequest => prefs.new_requests,
        NoticeKind::Outcome => prefs.outcomes,
        NoticeKind::Breach => prefs.breaches && supervisor,
    }
}

pub(crate) fn spawn(app: &Cashdesk) {
    let rx = app.cx().events().take_notices();
    let (Some(mut rx), true) = (rx, app.cx().config().notifications) else {
        return;
    };
    let app = app.downgrade();
    tokio::spawn(async move {
        // The first notice of a burst is shown at once (a new request pops
        // up in well under 200 ms); what follows within the window is
        // grouped into one ("6 new requests").
        while let Some(first) = rx.recv().await {
            let Some(desk) = app.upgrade() else { return };
            show(&desk, vec![first]).await;
            drop(desk);
            let deadline = tokio::time::Instant::now() + GROUP_WINDOW;
            let mut batch = Vec::new();
            while let Ok(Some(n)) = tokio::time::timeout_at(deadline, rx.recv()).await {
                batch.push(n);
            }
            let Some(desk) = app.upgrade() else { return };
            show(&desk, batch).await;
        }
    });
}

/// Shows what the desk wants of `batch`, grouped into one notification.
async fn show(app: &Cashdesk, mut batch: Vec<Notice>) {
    let prefs = crate::api::notify_prefs::read(app.store());
    let focused = app.cx().events().focused();
    let supervisor = app
        .active()
        .is_ok_and(|(_, roles)| roles.may(cashdesk_domain::Permission::Supervise));
    batch.retain(|n| wanted(&prefs, focused, supervisor, n.kind));
    if let Some(n) = group(&batch)
        && let Err(e) = send(&n.summary, &n.body).await
    {
        tracing::info!("notification not shown: {e}");
    }
}
