//! The PostgreSQL side of `sql`: a pooled connection with its statements
//! cached, `?N` rewritten as `$N`, parameters bound as the type the server
//! infers for them, and integer columns read whatever their width.
//!
//! The store's interface is synchronous (SQLite answers in microseconds;
//! callers are both async tasks and plain threads). tokio-postgres's
//! connections are driven on a runtime of the engine's own; a query is a
//! message to that connection and its answer a channel, so the caller
//! waits for it with `futures_executor::block_on`, which needs no runtime
//! and is safe on any thread, inside one or not.

use super::{Param, Val};
use crate::{Result, StoreError};
use bytes::BytesMut;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio_postgres::Statement;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// One connection to the server, with its prepared statements.
pub(crate) struct Conn {
    pub(crate) client: tokio_postgres::Client,
    /// By the store's SQL text (`?N`), prepared as `$N`.
    stmts: Mutex<HashMap<String, Statement>>,
}

impl Conn {
    pub(crate) fn new(client: tokio_postgres::Client) -> Conn {
        Conn {
            client,
            stmts: Mutex::default(),
        }
    }

    pub(super) fn prepare(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self
            .stmts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(sql)
        {
            return Ok(s.clone());
        }
        let s = wait(self.client.prepare(&dollars(sql)))?;
        self.stmts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    pub(super) fn execute(&self, s: &Statement, params: &[&dyn Param]) -> Result<usize> {
        let vals: Vec<Val<'_>> = params.iter().map(|p| p.val()).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = vals.iter().map(|v| v as _).collect();
        Ok(wait(self.client.execute(s, &refs))? as usize)
    }

    pub(super) fn query(
        &self,
        s: &Statement,
        params: &[&dyn Param],
    ) -> Result<Vec<tokio_postgres::Row>> {
        let vals: Vec<Val<'_>> = params.iter().map(|p| p.val()).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = vals.iter().map(|v| v as _).collect();
        wait(self.client.query(s, &refs))
    }

    /// Hands each row to `f` as it arrives (an export of a million rows
    /// holds one at a time), stopping at `f`'s first error.
    pub(super) fn for_each(
        &self,
        s: &Statement,
        params: &[&dyn Param],
        mut f: impl FnMut(&tokio_postgres::Row) -> Result<()>,
    ) -> Result<()> {
        use futures_util::StreamExt;
        let vals: Vec<Val<'_>> = params.iter().map(|p| p.val()).collect();
        let refs = vals.iter().map(|v| v as &(dyn ToSql + Sync));
        let rows = wait(self.client.query_raw(s, refs))?;
        let mut rows = std::pin::pin!(rows);
        while let Some(row) = futures_executor::block_on(tokio::task::unconstrained(rows.next())) {
            f(&row?)?;
        }
        Ok(())
    }

    /// Runs statements with no parameters (`BEGIN`, `COMMIT`, a migration).
    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        wait(self.client.batch_execute(sql))
    }
}

/// Waits for one answer from the connection's task, outside tokio's
/// cooperative budget (the caller may be a task that has spent it).
pub(crate) fn wait<T>(
    f: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<T> {
    Ok(futures_executor::block_on(tokio::task::unconstrained(f))?)
}

/// `?N` as `$N`, outside quoted text and identifiers.
pub(crate) fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut bare = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                out.push('$');
                if chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    continue;
                }
                // A bare `?` is the next one, as SQLite numbers them.
                bare += 1;
                out.push_str(&bare.to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

impl ToSql for Val<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Val::Null => Ok(IsNull::Yes),
            Val::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
                Type::BOOL => (n != 0).to_sql(ty, out),
                Type::FLOAT8 => (n as f64).to_sql(ty, out),
                Type::NUMERIC => rust_decimal::Decimal::from(n).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => n.to_string().to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound as {ty}").into()),
            },
            Val::Real(x) => match *ty {
                Type::FLOAT4 => (x as f32).to_sql(ty, out),
                _ => x.to_sql(ty, out),
            },
            // JSONB's binary form is a version byte, then the text.
            Val::Text(s) if *ty == Type::JSONB => {
                out.extend_from_slice(&[1]);
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            Val::Text(s) => s.to_sql(ty, out),
            Val::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// An integer column of any width (a sum is NUMERIC, a flag BOOLEAN).
pub(super) fn int(r: &tokio_postgres::Row, i: usize) -> Result<Option<i64>> {
    let ty = r.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(i)?,
        Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(i64::from),
        Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map(i64::from),
        Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map(i64::from),
        Type::NUMERIC => match r.try_get::<_, Option<rust_decimal::Decimal>>(i)? {
            None => None,
            Some(d) => Some(
                i64::try_from(d)
                    .map_err(|_| StoreError::Corrupt(format!("column {i}: {d} is no integer")))?,
            ),
        },
        _ => return Err(mismatch(r, i, "an integer")),
    })
}

/// An integer column into a narrower type.
pub(super) fn int_as<T: TryFrom<i64>>(r: &tokio_postgres::Row, i: usize) -> Result<Option<T>> {
    int(r, i)?
        .map(|n| {
            T::try_from(n).map_err(|_| StoreError::Corrupt(format!("column {i}: {n} out of range")))
        })
        .transpose()
}

pub(super) fn boolean(r: &tokio_postgres::Row, i: usize) -> Result<Option<bool>> {
    Ok(int(r, i)?.map(|n| n != 0))
}

pub(super) fn real(r: &tokio_postgres::Row, i: usize) -> Result<Option<f64>> {
    let ty = r.columns()[i].type_().clone();
    Ok(match ty {
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?,
        Type::FLOAT4 => r.try_get::<_, Option<f32>>(i)?.map(f64::from),
        _ => int(r, i)?.map(|n| n as f64),
    })
}

pub(super) fn text(r: &tokio_postgres::Row, i: usize) -> Result<Option<String>> {
    Ok(r.try_get::<_, Option<String>>(i)?)
}

pub(super) fn blob(r: &tokio_postgres::Row, i: usize) -> Result<Option<Vec<u8>>> {
    Ok(r.try_get::<_, Option<Vec<u8>>>(i)?)
}

pub(super) fn null(r: &tokio_postgres::Row, i: usize) -> StoreError {
    StoreError::Corrupt(format!("column {} is NULL", r.columns()[i].name()))
}

fn mismatch(r: &tokio_postgres::Row, i: usize, want: &str) -> StoreError {
    let c = &r.columns()[i];
    StoreError::Corrupt(format!("column {} is {}, not {want}", c.name(), c.type_()))
}

#[cfg(test)]
mod tests {
    use super::dollars;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            dollars("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d = $12"
        );
        assert_eq!(dollars("VALUES (?, ?)"), "VALUES ($1, $2)");
        assert_eq!(dollars("SELECT \"a?\" FROM t"), "SELECT \"a?\" FROM t");
    }
}
