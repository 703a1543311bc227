//! Operators: who may log in, with which roles, and the state of their
//! log-in attempts. The secret is stored only as an Argon2id hash made by
//! the core; the store never sees a password.

use crate::audit::append;
use crate::sql::{Db, OptionalExtension, Row, params};
use crate::{Result, Store, StoreError, from_ms, now_ms};
use cashdesk_domain::{Actor, OperatorId, OperatorRef, Role, Roles};

/// How an operator logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    Password,
    /// Digits only, for a quick switch at a shared desk.
    Pin,
}

impl SecretKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Pin => "pin",
        }
    }

    fn parse(s: &str) -> Self {
        if s == "pin" {
            Self::Pin
        } else {
            Self::Password
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperatorRecord {
    pub id: OperatorId,
    pub name: String,
    pub roles: Roles,
    pub secret_kind: SecretKind,
    /// Argon2id PHC string.
    pub secret_hash: String,
    pub failed_tries: u32,
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl OperatorRecord {
    pub fn as_ref(&self) -> OperatorRef {
        OperatorRef::new(self.id, self.name.clone())
    }
}

/// A new operator, as an admin (or first start) creates one.
pub struct NewOperator<'a> {
    pub name: &'a str,
    pub roles: &'a Roles,
    pub secret_kind: SecretKind,
    pub secret_hash: &'a str,
}

const SELECT: &str = "SELECT id, name, roles, secret_kind, secret_hash, failed_tries,
    locked_until_ms, disabled_ms, created_ms FROM operators";

fn row(r: &Row<'_>) -> Result<OperatorRecord> {
    let id: String = r.get(0)?;
    Ok(OperatorRecord {
        id: id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad operator id {id:?}")))?,
        name: r.get(1)?,
        roles: Roles::from_text(&r.get::<_, String>(2)?),
        secret_kind: SecretKind::parse(&r.get::<_, String>(3)?),
        secret_hash: r.get(4)?,
        failed_tries: r.get::<_, i64>(5)?.try_into().unwrap_or(u32::MAX),
        locked_until: r.get::<_, Option<i64>>(6)?.map(from_ms),
        disabled: r.get::<_, Option<i64>>(7)?.is_some(),
        created_at: from_ms(r.get(8)?),
    })
}

/// The operator `id` inside a transaction (roles checked where they act).
pub(crate) fn get_in(tx: &Db<'_>, id: OperatorId) -> Result<OperatorRecord> {
    tx.query_row(
        &format!("{SELECT} WHERE id = ?1"),
        params![id.to_string()],
        row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("operator {id}")))
}

/// The acting operator's roles as stored now (a role taken away, or the
/// operator disabled, takes effect at once, whatever a session believes).
pub(crate) fn roles_in(tx: &Db<'_>, actor: &Actor) -> Result<Roles> {
    let Some(o) = actor.operator_ref() else {
        return Ok(Roles::default());
    };
    let rec = get_in(tx, o.id)?;
    Ok(if rec.disabled {
        Roles::default()
    } else {
        rec.roles
    })
}

/// The single `role` column of 0001 must hold one of its values.
fn legacy_role(roles: &Roles) -> &'static str {
    [Role::Admin, Role::Supervisor, Role::Agent]
        .into_iter()
        .find(|r| roles.has(*r))
        .unwrap_or(Role::Agent)
        .as_str()
}

impl Store {
    pub fn operators(&self) -> Result<Vec<OperatorRecord>> {
        self.read(|c| {
            let mut st = c.prepare(&format!("{SELECT} ORDER BY lower(name)"))?;
            let rows = st.query_map(params![], row)?;
            rows.collect::<Result<_, _>>()
        })
    }

    pub fn operator(&self, id: OperatorId) -> Result<OperatorRecord> {
        self.read(|c| get_in(c, id))
    }

    /// By name, ignoring case (names are unique that way).
    pub fn operator_named(&self, name: &str) -> Result<Option<OperatorRecord>> {
        self.read(|c| {
            c.query_row(
                &format!("{SELECT} WHERE lower(name) = lower(?1)"),
                params![name.trim()],
                row,
            )
            .optional()
        })
    }

    /// Adds an operator. `actor`: the admin, or `System` for the first
    /// admin at first start (only while no operator exists).
    pub fn add_operator(&self, new: &NewOperator<'_>, actor: &Actor) -> Result<OperatorRecord> {
        let name = new.name.trim();
        if name.is_empty() || new.roles.is_empty() {
            return Err(StoreError::Conflict(
                "an operator needs a name and at least one role".into(),
            ));
        }
        self.write(|tx| {
            let count: i64 = tx.query_row("SELECT COUNT(*) FROM operators", params![], |r| r.get(0))?;
            if actor.operator_ref().is_none() && count > 0 {
                return Err(StoreError::NotAllowed(
                    "only an admin adds operators once the first one exists".into(),
                ));
            }
            if actor.operator_ref().is_some() && !roles_in(tx, actor)?.has(Role::Admin) {
                return Err(StoreError::NotAllowed("needs an admin".into()));
            }
            let taken: Option<String> = tx
                .query_row(
                    "SELECT id FROM operators WHERE lower(name) = lower(?1)",
                    params![name],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!(
                    "an operator named {name} exists already"
                )));
            }
            let id = OperatorId::new();
            tx.execute(
                "INSERT INTO operators (id, name, role, roles, secret_kind, secret_hash, created_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id.to_string(),
                    name,
                    legacy_role(new.roles),
                    new.roles.to_text(),
                    new.secret_kind.as_str(),
                    new.secret_hash,
                    now_ms()
                ],
            )?;
            append(
                tx,
                actor,
                "operator.add",
                &format!("operator:{id}"),
                &serde_json::json!({ "name": name, "roles": new.roles.to_text(), "login": new.secret_kind.as_str() }),
            )?;
            get_in(tx, id)
        })
    }

    /// Changes roles, disables or re-enables, or replaces the secret of an
    /// operator (an admin's act, audited). An admin cannot take away the
    /// last enabled admin: the desk would have nobody to manage it.
    pub fn update_operator(
        &self,
        id: OperatorId,
        change: &OperatorChange<'_>,
        actor: &Actor,
    ) -> Result<OperatorRecord> {
        self.write(|tx| {
            if !roles_in(tx, actor)?.has(Role::Admin) {
                return Err(StoreError::NotAllowed("needs an admin".into()));
            }
            let before = get_in(tx, id)?;
            let now = now_ms();
            let mut details = serde_json::Map::new();
            if let Some(roles) = change.roles {
                if roles.is_empty() {
                    return Err(StoreError::Conflict("an operator needs at least one role".into()));
                }
                tx.execute(
                    "UPDATE operators SET roles = ?2, role = ?3 WHERE id = ?1",
                    params![id.to_string(), roles.to_text(), legacy_role(roles)],
                )?;
                details.insert("roles".into(), roles.to_text().into());
            }
            if let Some(disabled) = change.disabled {
                let at = disabled.then_some(now);
                tx.execute(
                    "UPDATE operators SET disabled_ms = ?2 WHERE id = ?1",
                    params![id.to_string(), at],
                )?;
                details.insert("disabled".into(), disabled.into());
            }
            if let Some((kind, hash)) = change.secret {
                tx.execute(
                    "UPDATE operators SET secret_kind = ?2, secret_hash = ?3, failed_tries = 0, locked_until_ms = NULL WHERE id = ?1",
                    params![id.to_string(), kind.as_str(), hash],
                )?;
                details.insert("login".into(), kind.as_str().into());
            }
            let admins: i64 = tx.query_row(
                "SELECT COUNT(*) FROM operators WHERE disabled_ms IS NULL
                   AND (',' || roles || ',') LIKE '%,admin,%'",
                params![],
                |r| r.get(0),
            )?;
            if admins == 0 {
                return Err(StoreError::Conflict(
                    "the desk needs at least one enabled admin".into(),
                ));
            }
            append(
                tx,
                actor,
                "operator.change",
                &format!("operator:{id}"),
                &serde_json::json!({ "name": before.name, "change": details }),
            )?;
            get_in(tx, id)
        })
    }

    /// A wrong secret: counts the try and, at `max_tries`, locks the
    /// operator until `lock_ms` from now. Returns the record after.
    pub fn record_failed_login(
        &self,
        id: OperatorId,
        max_tries: u32,
        lock_ms: i64,
    ) -> Result<OperatorRecord> {
        self.write(|tx| {
            let rec = get_in(tx, id)?;
            let tries = rec.failed_tries + 1;
            let (tries, until) = if tries >= max_tries {
                (0, Some(now_ms() + lock_ms))
            } else {
                (tries, None)
            };
            tx.execute(
                "UPDATE operators SET failed_tries = ?2, locked_until_ms = COALESCE(?3, locked_until_ms) WHERE id = ?1",
                params![id.to_string(), tries, until],
            )?;
            if until.is_some() {
                append(
                    tx,
                    &Actor::System,
                    "operator.locked",
                    &format!("operator:{id}"),
                    &serde_json::json!({ "name": rec.name, "after_tries": max_tries }),
                )?;
            }
            get_in(tx, id)
        })
    }

    /// A right secret: the count of wrong tries starts again.
    pub fn record_login(&self, id: OperatorId) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE operators SET failed_tries = 0, locked_until_ms = NULL WHERE id = ?1",
                params![id.to_string()],
            )?;
            Ok(())
        })
    }
}

/// What an admin changes about an operator; `None`: unchanged.
#[derive(Default)]
pub struct OperatorChange<'a> {
    pub roles: Option<&'a Roles>,
    pub disabled: Option<bool>,
    pub secret: Option<(SecretKind, &'a str)>,
}
