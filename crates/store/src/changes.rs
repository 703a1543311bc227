//! The store announces which requests each commit changed, so the window
//! is told by the data layer and not by every caller remembering to. An
//! SQLite update hook on the one writer notes the rows a transaction
//! writes; after the commit they are turned into request ids and handed
//! to the listener (nothing is announced for a rolled-back transaction).

use cashdesk_domain::RequestId;
use rusqlite::Connection;
use rusqlite::hooks::Action;
use std::sync::{Arc, Mutex};

/// Told the requests a commit changed, each once.
pub type Listener = Arc<dyn Fn(&[RequestId]) + Send + Sync>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Table {
    Requests,
    History,
    Outbox,
    Lookups,
    Attachments,
}

impl Table {
    fn of(name: &str) -> Option<Table> {
        Some(match name {
            "requests" => Table::Requests,
            "request_events" => Table::History,
            "outbox" => Table::Outbox,
            "lookups" => Table::Lookups,
            "attachments" => Table::Attachments,
            _ => return None,
        })
    }

    /// The request a row of this table belongs to.
    fn owner_sql(self) -> &'static str {
        match self {
            Table::Requests => "SELECT id FROM requests WHERE rowid = ?1",
            Table::History => "SELECT request_id FROM request_events WHERE rowid = ?1",
            Table::Outbox => "SELECT request_id FROM outbox WHERE rowid = ?1",
            Table::Lookups => "SELECT request_id FROM lookups WHERE rowid = ?1",
            Table::Attachments => {
                "SELECT owner_id FROM attachments WHERE rowid = ?1 AND owner_kind = 'request'"
            }
        }
    }
}

/// Rows written by the transaction under way.
#[derive(Default)]
pub(crate) struct Touched(Mutex<Vec<(Table, i64)>>);

impl Touched {
    pub(crate) fn take(&self) -> Vec<(Table, i64)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Notes every row the writer inserts or updates in a watched table.
pub(crate) fn watch(conn: &Connection, touched: Arc<Touched>) {
    conn.update_hook(Some(
        move |action: Action, _db: &str, table: &str, rowid: i64| {
            if action == Action::SQLITE_DELETE {
                return;
            }
            if let Some(t) = Table::of(table) {
                touched
                    .0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((t, rowid));
            }
        },
    ));
}

/// The requests the committed rows belong to, each once, in write order.
pub(crate) fn requests_of(conn: &Connection, rows: &[(Table, i64)]) -> Vec<RequestId> {
    let mut ids: Vec<RequestId> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (table, rowid) in rows {
        if !seen.insert((*table, *rowid)) {
            continue;
        }
        let owner: Option<String> = conn
            .prepare_cached(table.owner_sql())
            .and_then(|mut st| st.query_row([rowid], |r| r.get(0)))
            .ok();
        if let Some(id) = owner.and_then(|s| s.parse::<RequestId>().ok())
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}
