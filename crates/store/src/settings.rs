//! Small key/value settings (the idle lock, the desk's identity).

use crate::sql::{OptionalExtension, params};
use crate::{Result, Store, audit};
use cashdesk_domain::Actor;

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| {
            c.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// Audited: settings are configuration.
    pub fn set_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            audit::append(tx, actor, "setting.changed", key, &serde_json::json!({ "value": value }))
        })
    }

    /// Several settings that belong together, all or none; each audited
    /// when its value changes.
    pub fn set_settings(&self, pairs: &[(&str, String)], actor: &Actor) -> Result<()> {
        self.write(|tx| {
            for (key, value) in pairs {
                let was: Option<String> = tx
                    .query_row("SELECT value FROM settings WHERE key = ?1", params![key], |r| r.get(0))
                    .optional()?;
                if was.as_deref() == Some(value.as_str()) {
                    continue;
                }
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    params![key, value],
                )?;
                audit::append(tx, actor, "setting.changed", key, &serde_json::json!({ "value": value }))?;
            }
            Ok(())
        })
    }
}

impl Store {
    /// An operator's own preference (their saved views): not desk
    /// configuration, so not audited.
    pub fn put_personal(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('personal.' || ?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    pub fn personal(&self, key: &str) -> Result<Option<String>> {
        self.setting(&format!("personal.{key}"))
    }
}

impl Store {
    /// Keeps reference data fetched from a provider (payment methods), so
    /// desk entry works offline. Not configuration: not audited.
    pub fn put_cache(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('cache.' || ?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    pub fn cache(&self, key: &str) -> Result<Option<String>> {
        self.setting(&format!("cache.{key}"))
    }
}

impl Store {
    /// This database's own id, made on first use: names what belongs to
    /// this desk's data elsewhere (its audit key in the keychain), so two
    /// data folders never share one.
    pub fn desk_id(&self) -> Result<String> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('desk.id', ?1) ON CONFLICT DO NOTHING",
                params![uuid::Uuid::now_v7().simple().to_string()],
            )?;
            tx.query_row(
                "SELECT value FROM settings WHERE key = 'desk.id'",
                params![],
                |r| r.get(0),
            )
        })
    }
}

impl Store {
    /// Methods with an SLA of their own, in minutes (migration 14).
    pub fn method_slas(&self) -> Result<Vec<(String, u32)>> {
        self.read(|c| {
            let mut st =
                c.prepare_cached("SELECT method, minutes FROM method_sla ORDER BY method")?;
            let rows = st.query_map(params![], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_>>()
        })
    }

    /// Sets or removes a method's SLA; triggers re-date its waiting
    /// requests in this transaction. Audited: it is configuration.
    pub fn set_method_sla(&self, method: &str, minutes: Option<u32>, actor: &Actor) -> Result<()> {
        self.write(|tx| {
            match minutes {
                Some(m) => tx.execute(
                    "INSERT INTO method_sla (method, minutes) VALUES (?1, ?2)
                     ON CONFLICT(method) DO UPDATE SET minutes = excluded.minutes",
                    params![method, m],
                )?,
                None => tx.execute("DELETE FROM method_sla WHERE method = ?1", params![method])?,
            };
            audit::append(
                tx,
                actor,
                "setting.method_sla",
                method,
                &serde_json::json!({ "minutes": minutes }),
            )
        })
    }
}
