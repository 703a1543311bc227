//! Every row of a filtered view, one at a time: a CSV export of a million
//! rows holds one row in memory. It reads on a connection of its own, in
//! one read transaction (a consistent snapshot under WAL; writers go on).

use crate::queue::{QueueFilter, filter_sql, order};
use crate::requests::{COLUMN_COUNT, RequestRecord, from_row};
use crate::sql::Db;
use crate::{Result, Store, StoreError};
use cashdesk_domain::card::masked;
use rusqlite::{Connection, OpenFlags};

impl Store {
    /// Hands each request of the view `f` (every row: no limit, no cursor)
    /// to `each`, in the view's order. Returns how many there were.
    pub fn for_each_in_view(
        &self,
        f: &QueueFilter,
        mut each: impl FnMut(&RequestRecord) -> Result<()>,
    ) -> Result<u64> {
        let Some(lite) = self.lite() else {
            // PostgreSQL streams one statement's rows from one snapshot.
            let (mut sql, args) = filter_sql(f, self.engine());
            sql.push_str(order(f));
            return self.read(|c| {
                let mut n = 0;
                c.prepare(&sql)?
                    .for_each(&crate::sql::dynamic(&args), |r| {
                        each(&from_row(r)?)?;
                        n += 1;
                        Ok(())
                    })?;
                Ok(n)
            });
        };
        let mut c = Connection::open_with_flags(
            lite.path(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        c.busy_timeout(std::time::Duration::from_secs(5))?;
        let tx = c.transaction()?;
        let (mut sql, args) = filter_sql(f, self.engine());
        sql.push_str(order(f));
        let mut st = Db::lite(&tx).prepare(&sql)?;
        debug_assert!(st.column_count() > COLUMN_COUNT);
        let mut n = 0;
        st.for_each(&crate::sql::dynamic(&args), |r| {
            each(&from_row(r)?)?;
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }

    /// How many requests the view `f` holds, uncapped (the export's check).
    pub fn count_in_view(&self, f: &QueueFilter) -> Result<u64> {
        let (sql, args) = filter_sql(f, self.engine());
        let sql = format!("SELECT COUNT(*) FROM ({sql}) AS v");
        self.read(|c| c.query_row(&sql, &crate::sql::dynamic(&args), |r| r.get(0)))
    }
}

/// The export's columns.
pub const HEADER: [&str; 26] = [
    "request_id",
    "created_at",
    "updated_at",
    "kind",
    "provider",
    "account_id",
    "method",
    "amount",
    "currency",
    "status",
    "end_user_ref",
    "end_user_name",
    "provider_user_id",
    "trx_id",
    "sender",
    "destination",
    "agent_number",
    "merchant_ref",
    "provider_txn_id",
    "provider_status",
    "provider_reason",
    "status_reason",
    "source",
    "intake_ref",
    "settled_amount",
    "settled_currency",
];

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
/// written with a leading `'`: text from outside is data, never code.
pub fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// One request as an export row (the columns of [`HEADER`]).
pub fn csv_record(r: &RequestRecord) -> Vec<String> {
    let o = |v: &Option<String>| cell(v.as_deref().unwrap_or(""));
    vec![
        r.id.to_string(),
        r.created_at.to_rfc3339(),
        r.updated_at.to_rfc3339(),
        r.kind.as_str().into(),
        r.provider.as_str().into(),
        r.account_id.to_string(),
        cell(&r.method),
        // Exact decimal text, never a float.
        r.money.amount.to_string(),
        r.money.currency.code().into(),
        r.status.as_str().into(),
        cell(&r.end_user_ref),
        o(&r.end_user_name),
        o(&r.provider_user_id),
        o(&r.trx_id),
        // Card numbers masked, as on screen: a file travels further.
        cell(&r.sender.as_deref().map(masked).unwrap_or_default()),
        cell(&r.destination.as_deref().map(masked).unwrap_or_default()),
        o(&r.agent_number),
        r.merchant_ref.0.clone(),
        o(&r.provider_txn_id),
        o(&r.provider_status),
        o(&r.provider_reason),
        o(&r.status_reason),
        r.source.as_str().into(),
        o(&r.intake_ref),
        r.settled
            .as_ref()
            .map(|m| m.amount.to_string())
            .unwrap_or_default(),
        r.settled
            .as_ref()
            .map(|m| m.currency.code().to_owned())
            .unwrap_or_default(),
    ]
}

impl Store {
    /// Writes the view `f` as CSV (header, then every row) to `out`, one
    /// row at a time. Returns the rows written and `out`.
    pub fn export_csv<W: std::io::Write>(&self, f: &QueueFilter, out: W) -> Result<(u64, W)> {
        let mut csv = csv::Writer::from_writer(out);
        let fail = |e: csv::Error| StoreError::Conflict(format!("export: {e}"));
        csv.write_record(HEADER).map_err(fail)?;
        let rows = self.for_each_in_view(f, |r| csv.write_record(csv_record(r)).map_err(fail))?;
        let out = csv
            .into_inner()
            .map_err(|e| StoreError::Conflict(format!("export: {e}")))?;
        Ok((rows, out))
    }
}
