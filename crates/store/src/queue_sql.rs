//! The SQL of a queue view: one `WHERE` for the filter, one order key, and
//! the keyset condition. Public in part so the benchmark runs the very same
//! SQL raw against the same file.

use crate::queue::{QueueFilter, QueueSort};
use crate::sql::{Engine, Value};
use rust_decimal::Decimal;

/// An amount as the integer the `amount_key` column holds: 10^-8 units,
/// truncated. `None` when it does not fit (no stored amount is that big).
pub fn amount_key(amount: Decimal) -> Option<i64> {
    let units = amount.checked_mul(Decimal::from(100_000_000u32))?.trunc();
    i64::try_from(units).ok()
}

/// The order's key as SQL: each an indexed column (with `view`, `seq`).
fn key_sql(sort: QueueSort) -> &'static str {
    match sort {
        QueueSort::Arrival => "created_ms",
        // Deadline or arrival plus SLA, kept by triggers (migration 11).
        QueueSort::TimeLeft => "due_ms",
        QueueSort::Amount => "amount_key",
    }
}

/// Descending where the archive reads newest first, or the largest amount
/// leads; ascending otherwise.
fn descending(f: &QueueFilter) -> bool {
    match f.sort {
        QueueSort::Arrival => f.view.newest_first(),
        QueueSort::TimeLeft => false,
        QueueSort::Amount => true,
    }
}

/// Builds the page query: the filter, after the cursor, in order, one row
/// more than the limit (so the page knows whether there is a next).
pub fn queue_sql(f: &QueueFilter, engine: Engine) -> (String, Vec<Value>) {
    let (mut sql, mut args) = filter_sql(f, engine);
    if let Some(c) = f.after {
        let cmp = if descending(f) { "<" } else { ">" };
        sql.push_str(&format!(" AND ({}, seq) {cmp} (?, ?)", key_sql(f.sort)));
        args.push(c.key.into());
        args.push(c.seq.into());
    }
    sql.push_str(order(f));
    sql.push_str(" LIMIT ?");
    args.push(i64::from(f.limit.clamp(1, 500) + 1).into());
    (sql, args)
}

/// The order: by the sort's key, then `seq`, both the same way.
pub(crate) fn order(f: &QueueFilter) -> &'static str {
    match (f.sort, descending(f)) {
        (QueueSort::Arrival, false) => " ORDER BY created_ms, seq",
        (QueueSort::Arrival, true) => " ORDER BY created_ms DESC, seq DESC",
        (QueueSort::TimeLeft, _) => " ORDER BY due_ms, seq",
        (QueueSort::Amount, _) => " ORDER BY amount_key DESC, seq DESC",
    }
}

/// `SELECT <columns>, seq, sort_key … WHERE` for every narrowing the
/// filter holds (no cursor, no order, no limit).
pub(crate) fn filter_sql(f: &QueueFilter, engine: Engine) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = Vec::new();
    let mut sql = format!(
        "SELECT {}, seq, {} AS sort_key FROM requests WHERE ",
        crate::requests::COLUMNS,
        key_sql(f.sort)
    );
    let mut and = |cond: &str, value: Value| {
        sql.push_str(cond);
        args.push(value);
    };
    match f.status {
        Some(s) => and("status = ?", s.as_str().to_owned().into()),
        None => and("view = ?", f.view.as_str().to_owned().into()),
    }
    if let Some(p) = f.provider {
        and(" AND provider = ?", p.as_str().to_owned().into());
    }
    if let Some(k) = f.kind {
        and(" AND kind = ?", k.as_str().to_owned().into());
    }
    if let Some(a) = f.account {
        and(" AND account_id = ?", a.to_string().into());
    }
    if let Some(m) = &f.method {
        and(" AND method = ?", m.clone().into());
    }
    if let Some(c) = &f.currency {
        and(" AND currency = ?", c.clone().into());
    }
    if let Some(v) = f.amount_min {
        and(" AND amount_key >= ?", v.into());
    }
    if let Some(v) = f.amount_max {
        and(" AND amount_key <= ?", v.into());
    }
    if let Some(v) = f.created_before_ms {
        and(" AND created_ms <= ?", v.into());
    }
    if let Some(v) = f.created_after_ms {
        and(" AND created_ms >= ?", v.into());
    }
    if let Some(op) = &f.operator {
        // One indexed lookup per way a person touches a request (migration
        // 11), so the filter reads their requests, not the whole view.
        let op = op.to_string();
        and(
            " AND seq IN (SELECT seq FROM requests WHERE entered_by = ?",
            op.clone().into(),
        );
        and(
            " UNION SELECT seq FROM requests WHERE first_approver = ?",
            op.clone().into(),
        );
        and(
            " UNION SELECT r.seq FROM claims c JOIN requests r ON r.id = c.request_id WHERE c.operator_id = ?",
            op.clone().into(),
        );
        and(
            " UNION SELECT r.seq FROM decisions d JOIN requests r ON r.id = d.request_id WHERE d.operator_id = ?)",
            op.into(),
        );
    }
    match (engine, f.search.as_deref()) {
        (Engine::Sqlite, Some(text)) => {
            if let Some(q) = phrase(text) {
                and(
                    " AND seq IN (SELECT rowid FROM request_search WHERE request_search MATCH ?)",
                    q.into(),
                );
            }
        }
        // A trigram GIN index (pg_trgm) serves ILIKE '%…%'.
        (Engine::Postgres, Some(text)) => {
            if let Some(q) = pattern(text) {
                and(
                    " AND seq IN (SELECT seq FROM request_search WHERE terms ILIKE ?)",
                    q.into(),
                );
            }
        }
        (_, None) => {}
    }
    (sql, args)
}

/// The typed text as one FTS5 phrase (quotes doubled, so nothing typed is
/// query syntax); `None` under three characters, which a trigram index
/// cannot look up.
fn phrase(text: &str) -> Option<String> {
    let t = text.trim();
    (t.chars().count() >= 3).then(|| format!("\"{}\"", t.replace('"', "\"\"")))
}

/// The typed text anywhere in the terms, matched literally (`%`, `_`
/// and `\\` escaped); `None` under three characters, as on SQLite.
fn pattern(text: &str) -> Option<String> {
    let t = text.trim();
    (t.chars().count() >= 3).then(|| {
        let mut p = String::from("%");
        for c in t.chars() {
            if matches!(c, '%' | '_' | '\\') {
                p.push('\\');
            }
            p.push(c);
        }
        p.push('%');
        p
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_keys_are_exact_and_truncate_past_eight_places() {
        let k = |s: &str| amount_key(s.parse().unwrap());
        assert_eq!(k("1500.50"), Some(150_050_000_000));
        assert_eq!(k("0.00000001"), Some(1));
        assert_eq!(k("0.000000019"), Some(1));
        assert_eq!(k("100000000000000000000"), None);
    }

    #[test]
    fn typed_text_is_one_phrase_and_short_text_searches_nothing() {
        assert_eq!(phrase("  ab "), None);
        assert_eq!(phrase("8N7A"), Some("\"8N7A\"".into()));
        assert_eq!(phrase("a\"b OR c"), Some("\"a\"\"b OR c\"".into()));
        assert_eq!(pattern(" ab"), None);
        assert_eq!(pattern("5%_x"), Some("%5\\%\\_x%".into()));
    }
}
