//! Throwaway PostgreSQL databases for tests (this crate's conformance suite
//! and every crate whose tests run a team desk): one new database per
//! test on the cluster `scripts/test-pg.sh` starts (`CASHDESK_TEST_PG`),
//! dropped when the test ends. Never a database the test did not make.

use crate::{Result, StoreError};
use tokio_postgres::NoTls;

/// The cluster's address, or an error that says how to get one.
pub fn server_url() -> Result<String> {
    std::env::var("CASHDESK_TEST_PG").map_err(|_| {
        StoreError::Conflict(
            "CASHDESK_TEST_PG is not set: run the tests with scripts/test.sh, or start a \
             throwaway server with `eval \"$(bash scripts/test-pg.sh start)\"`"
                .into(),
        )
    })
}

/// A database of its own for one test; dropped (with any connection still
/// open to it) when this is.
pub struct TestDatabase {
    admin: String,
    name: String,
    url: String,
}

impl TestDatabase {
    pub fn create() -> Result<TestDatabase> {
        let admin = server_url()?;
        let name = format!("cashdesk_test_{}", uuid::Uuid::new_v4().simple());
        admin_sql(&admin, &format!("CREATE DATABASE {name}"))?;
        let url = with_database(&admin, &name);
        Ok(TestDatabase { admin, name, url })
    }

    /// Runs `sql` (no parameters) on this database, as a test reaching
    /// under the store does (ageing a row, say).
    pub fn execute(&self, sql: &str) -> Result<()> {
        admin_sql(&self.url, sql)
    }

    /// The address to give `Store::connect`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = admin_sql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].rfind('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{base}/{name}{query}")
}

/// Statements on the database at `admin`, from a thread and runtime
/// of its own (callers may be inside a runtime or not).
fn admin_sql(admin: &str, sql: &str) -> Result<()> {
    let (admin, sql) = (admin.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| StoreError::Io {
                path: "test database runtime".into(),
                source,
            })?;
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&admin, NoTls).await?;
            tokio::spawn(conn);
            client.batch_execute(&sql).await?;
            Ok(())
        })
    })
    .join()
    .unwrap_or_else(|_| Err(StoreError::Conflict("test database thread panicked".into())))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_name_replaces_the_urls() {
        assert_eq!(
            super::with_database("postgres://u@127.0.0.1:5432/postgres", "t1"),
            "postgres://u@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::with_database("postgres://u@h:1/postgres?sslmode=disable", "t1"),
            "postgres://u@h:1/t1?sslmode=disable"
        );
    }
}
