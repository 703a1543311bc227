//! One way for the store to speak SQL, whichever engine holds the data.
//!
//! Every store operation is written once, against `Db`, in one SQL text
//! (numbered `?N` parameters, portable statements; where the engines
//! differ, the operation asks `Db::engine`). A desk alone runs it on
//! SQLite; a team desk runs the same code on PostgreSQL, so one
//! conformance suite proves one implementation, not two.
//!
//! The shape copies rusqlite's (`execute`, `query_row`, `prepare_cached`,
//! `query_map`, `optional`) so the SQLite path stays as fast as before:
//! rows are read in place, statements stay cached per connection.

mod lite;
pub(crate) mod pg;

use crate::{Result, StoreError};

/// Which engine a `Db` speaks to, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection (or a transaction on one) of either engine.
#[derive(Clone, Copy)]
pub(crate) struct Db<'c> {
    inner: Inner<'c>,
    /// The desk's audit key, on the writer only (see `audit`).
    audit_key: Option<&'c crate::audit::AuditKey>,
}

#[derive(Clone, Copy)]
enum Inner<'c> {
    Lite(&'c rusqlite::Connection),
    Pg(&'c pg::Conn),
}

impl<'c> Db<'c> {
    pub(crate) fn lite(c: &'c rusqlite::Connection) -> Db<'c> {
        Db {
            inner: Inner::Lite(c),
            audit_key: None,
        }
    }

    pub(crate) fn pg(c: &'c pg::Conn) -> Db<'c> {
        Db {
            inner: Inner::Pg(c),
            audit_key: None,
        }
    }

    /// This connection, for writes that may sign the audit log with `key`.
    pub(crate) fn with_audit_key(self, key: &'c crate::audit::AuditKey) -> Db<'c> {
        Db {
            audit_key: Some(key),
            ..self
        }
    }

    /// The audit key, while one is set.
    pub(crate) fn audit_key(&self) -> Option<Vec<u8>> {
        self.audit_key
            .and_then(|k| k.read().unwrap_or_else(|e| e.into_inner()).clone())
    }

    pub(crate) fn engine(&self) -> Engine {
        match self.inner {
            Inner::Lite(_) => Engine::Sqlite,
            Inner::Pg(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection underneath, for tests of what only SQLite
    /// has (pragmas, query plans); `None` on another engine.
    #[cfg(test)]
    pub(crate) fn as_sqlite(&self) -> Option<&'c rusqlite::Connection> {
        match self.inner {
            Inner::Lite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// The first row's `f`, or `StoreError::NoRow` (see `optional`).
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// A statement kept compiled on this connection.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Stmt<'c>> {
        Ok(Stmt {
            inner: match self.inner {
                Inner::Lite(c) => StmtInner::Lite(c.prepare_cached(sql)?),
                Inner::Pg(c) => StmtInner::Pg(c, c.prepare(sql)?),
            },
        })
    }

    /// Same as `prepare_cached`: for statements built at run time, which
    /// repeat too (a queue view's filters come in a few shapes).
    pub(crate) fn prepare(&self, sql: &str) -> Result<Stmt<'c>> {
        self.prepare_cached(sql)
    }
}

/// A prepared statement.
pub(crate) struct Stmt<'c> {
    inner: StmtInner<'c>,
}

enum StmtInner<'c> {
    Lite(rusqlite::CachedStatement<'c>),
    Pg(&'c pg::Conn, tokio_postgres::Statement),
}

impl Stmt<'_> {
    pub(crate) fn execute(&mut self, params: &[&dyn Param]) -> Result<usize> {
        match &mut self.inner {
            StmtInner::Lite(s) => Ok(s.execute(lite::params(params))?),
            StmtInner::Pg(c, s) => c.execute(s, params),
        }
    }

    pub(crate) fn query_row<T>(
        &mut self,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        match &mut self.inner {
            StmtInner::Lite(s) => {
                let mut rows = s.query(lite::params(params))?;
                match rows.next()? {
                    Some(r) => f(&Row::Lite(r)),
                    None => Err(StoreError::NoRow),
                }
            }
            StmtInner::Pg(c, s) => match c.query(s, params)?.first() {
                Some(r) => f(&Row::Pg(r)),
                None => Err(StoreError::NoRow),
            },
        }
    }

    /// Every row's `f`, read now (an iterator so callers `collect` as
    /// they did with rusqlite's).
    pub(crate) fn query_map<T>(
        &mut self,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.for_each(params, |r| {
            out.push(f(r));
            Ok(())
        })?;
        Ok(out.into_iter())
    }

    /// Calls `f` on each row in turn, stopping at its first error.
    pub(crate) fn for_each(
        &mut self,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        match &mut self.inner {
            StmtInner::Lite(s) => {
                let mut rows = s.query(lite::params(params))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Lite(r))?;
                }
                Ok(())
            }
            StmtInner::Pg(c, s) => c.for_each(s, params, |r| f(&Row::Pg(r))),
        }
    }

    /// The number of columns each row has.
    pub(crate) fn column_count(&self) -> usize {
        match &self.inner {
            StmtInner::Lite(s) => s.column_count(),
            StmtInner::Pg(_, s) => s.columns().len(),
        }
    }
}

/// One row of a result.
pub(crate) enum Row<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Pg(&'r tokio_postgres::Row),
}

impl Row<'_> {
    /// Column `i` (from 0) as `T`.
    pub(crate) fn get<I: Index, T: Column>(&self, i: I) -> Result<T> {
        let i = i.index();
        match self {
            Row::Lite(r) => T::lite(r, i),
            Row::Pg(r) => T::pg(r, i),
        }
    }

    /// Column `i` as text, borrowed from the row (no copy per row where
    /// a read walks many).
    pub(crate) fn str(&self, i: usize) -> Result<&str> {
        match self {
            Row::Lite(r) => r
                .get_ref(i)?
                .as_str()
                .map_err(|e| StoreError::Corrupt(format!("column {i}: {e}"))),
            Row::Pg(r) => Ok(r.try_get::<_, &str>(i)?),
        }
    }
}

/// A column's position (from 0); a trait, as rusqlite's, so `get(0)`
/// infers its integer type.
pub(crate) trait Index {
    fn index(self) -> usize;
}

impl Index for usize {
    fn index(self) -> usize {
        self
    }
}

/// A type a column can be read as, on either engine.
pub(crate) trait Column: Sized {
    fn lite(r: &rusqlite::Row<'_>, i: usize) -> Result<Self>;
    fn pg(r: &tokio_postgres::Row, i: usize) -> Result<Self>;
}

/// Each type read on SQLite as rusqlite reads it, on PostgreSQL by the
/// column's own type (`pg::int` and friends).
macro_rules! columns {
    ($($t:ty => $pg:path),*) => {$(
        impl Column for $t {
            fn lite(r: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(r.get::<_, $t>(i)?)
            }
            fn pg(r: &tokio_postgres::Row, i: usize) -> Result<Self> {
                $pg(r, i)?.ok_or_else(|| pg::null(r, i))
            }
        }
        impl Column for Option<$t> {
            fn lite(r: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(r.get::<_, Option<$t>>(i)?)
            }
            fn pg(r: &tokio_postgres::Row, i: usize) -> Result<Self> {
                $pg(r, i)
            }
        }
    )*};
}

columns!(
    i64 => pg::int,
    i32 => pg::int_as,
    u32 => pg::int_as,
    u64 => pg::int_as,
    bool => pg::boolean,
    f64 => pg::real,
    String => pg::text,
    Vec<u8> => pg::blob
);

/// A value of any column type: for statements whose parameters are built
/// at run time.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

/// A borrowed parameter value: what every `Param` turns into.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Something that can be bound as a statement parameter.
pub(crate) trait Param: Sync {
    fn val(&self) -> Val<'_>;
}

macro_rules! int_params {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn val(&self) -> Val<'_> {
                Val::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_params!(i64, i32, u32, u64, usize, u16, u8);

impl Param for bool {
    fn val(&self) -> Val<'_> {
        Val::Int(i64::from(*self))
    }
}

impl Param for f64 {
    fn val(&self) -> Val<'_> {
        Val::Real(*self)
    }
}

impl Param for str {
    fn val(&self) -> Val<'_> {
        Val::Text(self)
    }
}

impl Param for String {
    fn val(&self) -> Val<'_> {
        Val::Text(self)
    }
}

impl Param for [u8] {
    fn val(&self) -> Val<'_> {
        Val::Blob(self)
    }
}

impl Param for Vec<u8> {
    fn val(&self) -> Val<'_> {
        Val::Blob(self)
    }
}

impl Param for Value {
    fn val(&self) -> Val<'_> {
        match self {
            Value::Null => Val::Null,
            Value::Int(n) => Val::Int(*n),
            Value::Real(x) => Val::Real(*x),
            Value::Text(s) => Val::Text(s),
            Value::Blob(b) => Val::Blob(b),
        }
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn val(&self) -> Val<'_> {
        (**self).val()
    }
}

impl<T: Param> Param for Option<T> {
    fn val(&self) -> Val<'_> {
        match self {
            Some(v) => v.val(),
            None => Val::Null,
        }
    }
}

/// Parameters for a statement: `params![a, b]` as with rusqlite.
macro_rules! params {
    () => { &[] as &[&dyn $crate::sql::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::sql::Param),+] as &[&dyn $crate::sql::Param] };
}
pub(crate) use params;

/// Parameters built at run time.
pub(crate) fn dynamic<T: Param>(values: &[T]) -> Vec<&dyn Param> {
    values.iter().map(|v| v as &dyn Param).collect()
}

/// `query_row`'s "no row" as `None`, as rusqlite's `optional()`.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
