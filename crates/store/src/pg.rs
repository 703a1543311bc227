//! The PostgreSQL engine (a team desk): a pool of connections driven on a
//! runtime of the engine's own, migrations by refinery, one writer at a
//! time across every server on the database, and change notices from
//! every server through `LISTEN/NOTIFY`.
//!
//! Writes take `pg_advisory_xact_lock(WRITE_LOCK)` first, the same rule
//! as SQLite's one writer: every store operation reads and then writes
//! (a claim checks for a live one, an approval reads the request, the
//! audit log chains each entry to the last) and stays correct only if
//! no other write runs between its read and its write. A decision takes
//! a millisecond or two, so one writer serves far more than a team
//! decides; reads never wait for it.

use crate::changes::Listener;
use crate::sql::Db;
use crate::sql::pg::Conn;
use crate::{Result, StoreError};
use cashdesk_domain::RequestId;
use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use std::sync::{Arc, RwLock};
use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("src/migrations_pg");
}

/// The advisory lock every write holds (any fixed number: "cashdesk").
const WRITE_LOCK: i64 = 0x6361_7368_6465_736b;
/// Held while migrating, so two servers starting together migrate once.
const MIGRATE_LOCK: i64 = WRITE_LOCK + 1;
/// Connections per server process: writes are one at a time, reads many.
const POOL: usize = 8;

pub(crate) struct Pg {
    pool: managed::Pool<Manager>,
    shown: String,
    /// Drives the connections; shut down without waiting when dropped
    /// (a store may be dropped inside another runtime).
    rt: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for Pg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pg").field("server", &self.shown).finish()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

struct Manager {
    config: tokio_postgres::Config,
    rt: tokio::runtime::Handle,
}

impl managed::Manager for Manager {
    type Type = Conn;
    type Error = StoreError;

    async fn create(&self) -> Result<Conn> {
        Ok(Conn::new(connect(&self.rt, &self.config).await?))
    }

    async fn recycle(&self, conn: &mut Conn, _: &Metrics) -> RecycleResult<StoreError> {
        if conn.client.is_closed() {
            return Err(RecycleError::message("the server closed the connection"));
        }
        Ok(())
    }
}

/// A new connection, its task spawned on the engine's runtime.
async fn connect(
    rt: &tokio::runtime::Handle,
    config: &tokio_postgres::Config,
) -> Result<tokio_postgres::Client> {
    let config = config.clone();
    rt.spawn(async move {
        let (client, conn) = config.connect(NoTls).await?;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::warn!("database connection ended: {e}");
            }
        });
        Ok::<_, StoreError>(client)
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("database connection task: {e}")))?
}

impl Pg {
    pub(crate) fn connect(url: &str, listener: Arc<RwLock<Option<Listener>>>) -> Result<Pg> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Conflict(format!("the database address {url:?}: {e}")))?;
        let shown = shown(&config);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("cashdesk-pg")
            .enable_all()
            .build()
            .map_err(|source| StoreError::Io {
                path: "database runtime".into(),
                source,
            })?;
        let handle = rt.handle().clone();
        migrate(&handle, &config)?;
        let pool = managed::Pool::builder(Manager {
            config: config.clone(),
            rt: handle.clone(),
        })
        .max_size(POOL)
        .build()
        .map_err(|e| StoreError::Conflict(format!("database pool: {e}")))?;
        handle.spawn(listen(config, tell_from_thread(listener)?));
        Ok(Pg {
            pool,
            shown,
            rt: Some(rt),
        })
    }

    fn conn(&self) -> Result<managed::Object<Manager>> {
        // Outside tokio's cooperative budget: called inside a task that has
        // spent it, the pool's semaphore would answer "not yet" for ever.
        futures_executor::block_on(tokio::task::unconstrained(self.pool.get())).map_err(|e| match e
        {
            managed::PoolError::Backend(e) => e,
            e => StoreError::Conflict(format!("database {}: {e}", self.shown)),
        })
    }

    pub(crate) fn write<T>(
        &self,
        audit_key: &crate::audit::AuditKey,
        f: impl FnOnce(&Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let conn = self.conn()?;
        conn.batch(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        ))?;
        let open = Open(&conn);
        let v = f(&Db::pg(&conn).with_audit_key(audit_key))?;
        conn.batch("COMMIT")?;
        std::mem::forget(open);
        Ok(v)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let conn = self.conn()?;
        f(&Db::pg(&conn))
    }

    /// PostgreSQL checks its pages itself (checksums, WAL); this says the
    /// server answers and the schema is this binary's.
    pub(crate) fn integrity_check(&self) -> Result<String> {
        self.read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM refinery_schema_history",
                crate::sql::params![],
                |r| r.get::<_, i64>(0),
            )
        })?;
        Ok("ok".into())
    }
}

/// A write transaction under way: rolled back unless it committed (an
/// error, a failed COMMIT, a panic), so its connection goes back to the
/// pool clean.
struct Open<'c>(&'c Conn);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.0.client.is_closed() {
            // After a failed COMMIT the transaction is over already; ROLLBACK
            // outside one is only a warning.
            let _ = self.0.batch("ROLLBACK");
        }
    }
}

/// The server as shown in messages: host, port and database, no password.
fn shown(c: &tokio_postgres::Config) -> String {
    let host = match c.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{}", c.get_dbname().unwrap_or("postgres"))
}

/// Brings the database to this binary's schema, under a lock so servers
/// starting together migrate once; refuses one a newer binary migrated
/// (a migration there that this binary does not have).
fn migrate(rt: &tokio::runtime::Handle, config: &tokio_postgres::Config) -> Result<()> {
    let config = config.clone();
    let handle = rt.clone();
    let job = rt.spawn(async move {
        let mut client = connect(&handle, &config).await?;
        client
            .batch_execute(&format!("SELECT pg_advisory_lock({MIGRATE_LOCK})"))
            .await?;
        let report = embedded::migrations::runner()
            .set_abort_divergent(true)
            .set_abort_missing(true)
            .run_async(&mut client)
            .await;
        client
            .batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})"))
            .await?;
        report.map(drop).map_err(|e| match e.kind() {
            refinery::error::Kind::MissingVersion(m) => StoreError::DatabaseTooNew {
                found: i64::from(m.version()),
                supported: embedded::migrations::runner()
                    .get_migrations()
                    .iter()
                    .map(|m| i64::from(m.version()))
                    .max()
                    .unwrap_or(0),
            },
            _ => StoreError::Conflict(format!("database migration failed: {e}")),
        })
    });
    futures_executor::block_on(tokio::task::unconstrained(job))
        .map_err(|e| StoreError::Conflict(format!("database migration task: {e}")))?
}

/// Calls the listener on a thread of its own, in order: never on the
/// engine's runtime, whose one thread drives every connection (a listener
/// that reads the store there would wait for itself).
fn tell_from_thread(
    listener: Arc<RwLock<Option<Listener>>>,
) -> Result<std::sync::mpsc::Sender<Vec<RequestId>>> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<RequestId>>();
    std::thread::Builder::new()
        .name("cashdesk-pg-changes".into())
        .spawn(move || {
            for ids in rx {
                let tell = listener.read().unwrap_or_else(|e| e.into_inner()).clone();
                if let Some(tell) = tell {
                    tell(&ids);
                }
            }
        })
        .map_err(|source| StoreError::Io {
            path: "change notices thread".into(),
            source,
        })?;
    Ok(tx)
}

/// Tells the listener of every request a commit changed, on any server:
/// the schema's triggers `pg_notify('cashdesk_changes', id)`, delivered at
/// commit. Reconnects after a lost connection.
async fn listen(config: tokio_postgres::Config, tell: std::sync::mpsc::Sender<Vec<RequestId>>) {
    loop {
        if let Err(e) = listen_once(&config, &tell).await {
            tracing::warn!("change notices: {e}");
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

async fn listen_once(
    config: &tokio_postgres::Config,
    tell: &std::sync::mpsc::Sender<Vec<RequestId>>,
) -> Result<()> {
    use futures_util::StreamExt;
    let (client, mut conn) = config.connect(NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    // The connection's own messages: notices arrive here, not as replies.
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
        while let Some(m) = messages.next().await {
            match m {
                Ok(tokio_postgres::AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!("change notices: {e}");
                    break;
                }
            }
        }
    });
    client.batch_execute("LISTEN cashdesk_changes").await?;
    while let Some(first) = rx.recv().await {
        // Whatever else already arrived is told in the same call, each once.
        let mut ids: Vec<RequestId> = Vec::new();
        let mut add = |p: String| {
            if let Ok(id) = p.parse::<RequestId>()
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        };
        add(first);
        while let Ok(p) = rx.try_recv() {
            add(p);
        }
        if !ids.is_empty() && tell.send(ids).is_err() {
            // The store is gone.
            return Ok(());
        }
    }
    Ok(())
}
