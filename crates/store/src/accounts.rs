//! Provider accounts. Only a reference to each secret is stored (its name);
//! the secret itself lives in the OS keychain.

use crate::requests::{ProviderFacts, transition_in};
use crate::sql::{OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, audit, from_ms, now_ms};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestStatus};

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub provider: ProviderKind,
    pub name: String,
    pub base_url: String,
    /// Names of the keychain entries this account uses, e.g. ["api_key"].
    pub secret_names: Vec<String>,
    pub config: serde_json::Value,
    pub sandbox: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    pub id: AccountId,
    pub provider: ProviderKind,
    pub name: String,
    pub base_url: String,
    pub secret_names: Vec<String>,
    pub config: serde_json::Value,
    pub sandbox: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

const SELECT: &str = "SELECT id, provider, name, base_url, secret_names, config_json, sandbox, created_ms FROM provider_accounts";

fn row(r: &Row<'_>) -> Result<AccountRecord> {
    let bad = |w: &str| StoreError::Corrupt(format!("bad account {w}"));
    let names: String = r.get(4)?;
    let config: String = r.get(5)?;
    Ok(AccountRecord {
        id: r.get::<_, String>(0)?.parse().map_err(|_| bad("id"))?,
        provider: ProviderKind::parse(&r.get::<_, String>(1)?).ok_or_else(|| bad("provider"))?,
        name: r.get(2)?,
        base_url: r.get(3)?,
        secret_names: serde_json::from_str(&names).map_err(|_| bad("secret names"))?,
        config: serde_json::from_str(&config).map_err(|_| bad("config"))?,
        sandbox: r.get(6)?,
        created_at: from_ms(r.get(7)?),
    })
}

impl Store {
    /// `id` is chosen by the caller so keychain entries can be written first.
    pub fn add_account(
        &self,
        id: AccountId,
        new: &NewAccount,
        actor: &Actor,
    ) -> Result<AccountRecord> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO provider_accounts (id, provider, name, base_url, secret_names, config_json, sandbox, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id.to_string(), new.provider.as_str(), new.name, new.base_url,
                    serde_json::to_string(&new.secret_names).unwrap_or_default(), new.config.to_string(), new.sandbox, now_ms()],
            )?;
            if !new.sandbox {
                // Configuration changes are audited; the secret's value never is.
                audit::append(tx, actor, "account.added", &id.to_string(), &serde_json::json!({
                    "provider": new.provider.as_str(), "name": new.name, "base_url": new.base_url, "secrets": new.secret_names }))?;
            }
            tx.query_row(&format!("{SELECT} WHERE id = ?1"), params![id.to_string()], row)
        })
    }

    /// Accounts in use (not removed), oldest first.
    pub fn accounts(&self) -> Result<Vec<AccountRecord>> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "{SELECT} WHERE removed_ms IS NULL ORDER BY created_ms"
            ))?;
            let rows = st.query_map(params![], row)?;
            rows.collect::<Result<_, _>>()
        })
    }

    /// An account that is not removed: the only kind new requests may use.
    pub fn active_account(&self, id: AccountId) -> Result<AccountRecord> {
        self.read(|c| {
            c.query_row(
                &format!("{SELECT} WHERE id = ?1 AND removed_ms IS NULL"),
                params![id.to_string()],
                row,
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("provider account {id} (removed or never added)"))
            })
        })
    }

    pub fn account(&self, id: AccountId) -> Result<AccountRecord> {
        self.read(|c| {
            c.query_row(
                &format!("{SELECT} WHERE id = ?1"),
                params![id.to_string()],
                row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("provider account {id}")))
        })
    }

    /// Marks removed (requests keep pointing at it for history). Refused
    /// while any of its requests is unfinished or any call to it is still
    /// queued, sending or unknown: nothing could send or settle them once
    /// its secrets are gone.
    pub fn remove_account(&self, id: AccountId, actor: &Actor) -> Result<()> {
        self.write(|tx| {
            let (open, calls): (i64, i64) = tx.query_row(
                "SELECT (SELECT COUNT(*) FROM requests WHERE account_id = ?1 AND view != 'done'),
                        (SELECT COUNT(*) FROM outbox WHERE account_id = ?1 AND state IN ('pending','sending','unknown'))",
                params![id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if open > 0 || calls > 0 {
                return Err(StoreError::Conflict(format!(
                    "this account still has {open} unfinished request(s) and {calls} call(s) not yet settled: decide, settle or reject them before removing it"
                )));
            }
            let n = tx.execute(
                "UPDATE provider_accounts SET removed_ms = ?2 WHERE id = ?1 AND removed_ms IS NULL",
                params![id.to_string(), now_ms()],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("provider account {id}")));
            }
            audit::append(
                tx,
                actor,
                "account.removed",
                &id.to_string(),
                &serde_json::json!({}),
            )
        })
    }

    /// Sandbox accounts belong to one run: at the next start their
    /// unfinished requests end (expired, or failed when already decided)
    /// and their outbox rows close, since the simulator that held them is
    /// gone; then the accounts are removed.
    pub fn retire_sandbox_accounts(&self) -> Result<u32> {
        self.write(|tx| {
            let mut st = tx.prepare(
                "SELECT r.id, r.status FROM requests r JOIN provider_accounts a ON a.id = r.account_id
                 WHERE a.sandbox = 1 AND a.removed_ms IS NULL AND r.view != 'done'",
            )?;
            let open: Vec<(String, String)> = st
                .query_map(params![], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            drop(st);
            let why = "the sandbox session that held this request has ended";
            for (id, status) in &open {
                let id = id.parse().map_err(|_| StoreError::Corrupt(id.clone()))?;
                let from = RequestStatus::parse(status).ok_or_else(|| StoreError::Corrupt(status.clone()))?;
                let to = if from.check(RequestStatus::Expired).is_ok() { RequestStatus::Expired } else { RequestStatus::Failed };
                if from != to {
                    transition_in(tx, id, to, &Actor::System, Some(why), &ProviderFacts::default())?;
                }
                tx.execute(
                    "UPDATE outbox SET state = 'failed', last_error = ?2, updated_ms = ?3
                     WHERE request_id = ?1 AND state IN ('pending','sending','unknown')",
                    params![id.to_string(), why, now_ms()],
                )?;
            }
            tx.execute("UPDATE provider_accounts SET removed_ms = ?1 WHERE sandbox = 1 AND removed_ms IS NULL", params![now_ms()])?;
            Ok(open.len() as u32)
        })
    }
}
