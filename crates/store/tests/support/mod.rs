//! What the store's test files share: a store with one Zexabit account,
//! a deposit to file, and the agent who decides.

#![allow(dead_code)]

pub mod desk;

use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind};
use cashdesk_store::*;

/// Where a test's store keeps its data: a temp folder (SQLite) or a
/// database of its own on the test cluster (PostgreSQL), removed after.
pub struct Place {
    pub dir: tempfile::TempDir,
    pub pg: Option<pg_test::TestDatabase>,
}

impl Place {
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Runs `sql` straight on the engine, under the store (a test ageing
    /// a row): the same text on both, so keep it portable.
    pub fn execute(&self, sql: &str) {
        self.try_execute(sql).unwrap()
    }

    /// `execute`, saying why the engine refused.
    pub fn try_execute(&self, sql: &str) -> Result<(), String> {
        match &self.pg {
            Some(db) => db.execute(sql).map_err(|e| e.to_string()),
            None => rusqlite::Connection::open(self.dir.path().join("cashdesk.db"))
                .and_then(|c| c.execute_batch(sql))
                .map_err(|e| e.to_string()),
        }
    }

    /// The same data opened again, as another process would.
    pub fn reopen(&self) -> Store {
        match &self.pg {
            Some(db) => Store::connect(db.url()).unwrap(),
            None => Store::open(&self.dir.path().join("cashdesk.db")).unwrap(),
        }
    }

    /// Drops `trigger` on `table`, as someone editing the data would.
    pub fn drop_trigger(&self, trigger: &str, table: &str) {
        match self.pg {
            Some(_) => self.execute(&format!("DROP TRIGGER {trigger} ON {table}")),
            None => self.execute(&format!("DROP TRIGGER {trigger}")),
        }
    }
}

/// An empty store on `engine`.
pub fn empty_on(engine: Engine) -> (Place, Store) {
    let dir = tempfile::tempdir().unwrap();
    match engine {
        Engine::Sqlite => {
            let store = Store::open(&dir.path().join("cashdesk.db")).unwrap();
            (Place { dir, pg: None }, store)
        }
        Engine::Postgres => {
            let db =
                pg_test::TestDatabase::create().expect("a test PostgreSQL (scripts/test-pg.sh)");
            let store = Store::connect(db.url()).unwrap();
            (Place { dir, pg: Some(db) }, store)
        }
    }
}

/// A store on SQLite with one Zexabit account.
pub fn store() -> (Place, Store, AccountId) {
    store_on(Engine::Sqlite)
}

/// A store on `engine` with one Zexabit account.
pub fn store_on(engine: Engine) -> (Place, Store, AccountId) {
    let (place, store) = empty_on(engine);
    let id = AccountId::new();
    store
        .add_account(
            id,
            &NewAccount {
                provider: ProviderKind::Zexabit,
                name: "Zexabit BD".into(),
                base_url: "http://127.0.0.1:1".into(),
                secret_names: vec!["api_key".into()],
                config: serde_json::json!({}),
                sandbox: false,
            },
            &Actor::operator(
                cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
                "Rina",
            ),
        )
        .unwrap();
    (place, store, id)
}

/// Runs each named `fn(Engine)` as two tests, `sqlite::name` and
/// `postgres::name`: the store's conformance suite.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(cashdesk_store::Engine::Sqlite)
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name(cashdesk_store::Engine::Postgres)
            })*
        }
    };
}

pub fn deposit(account: AccountId, intake_ref: Option<&str>) -> NewRequest {
    NewRequest {
        kind: RequestKind::Deposit,
        provider: ProviderKind::Zexabit,
        account_id: account,
        method: "bkash".into(),
        money: Money::parse("500", "BDT").unwrap(),
        end_user_ref: "usr_1".into(),
        end_user_name: Some("Karim".into()),
        provider_user_id: Some("68abc".into()),
        trx_id: Some("TRX8B7K9M2".into()),
        sender: Some("01811111111".into()),
        destination: None,
        agent_number: Some("01712345678".into()),
        source: Source::Intake,
        intake_ref: intake_ref.map(str::to_owned),
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    }
}

pub fn agent() -> Actor {
    Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "Rina",
    )
}
