//! A desk with many stored requests (the e2e 100,000, the app benchmark a
//! million), written before the app starts: one Zexabit account (no
//! secrets: nothing is sent anywhere), six in ten requests waiting, the
//! rest done (one in a thousand with the provider), one TrxID used on two
//! deposits, one request a second until an hour ago. Written in one
//! transaction on the app's own schema (the store migrates the file
//! first), so the search and due-time triggers index every row as the app
//! would.

use cashdesk_domain::{AccountId, Actor, MerchantRef, ProviderKind, RequestId};
use std::path::Path;

pub const DUPLICATE_TRX: &str = "TRXDUPE0001";

pub struct Seeded {
    /// The earlier and the later deposit carrying `DUPLICATE_TRX`.
    pub first_dup: String,
    pub second_dup: String,
    /// A request somewhere in the middle, found by its TrxID.
    pub probe_trx: String,
    pub probe: String,
}

pub fn seed(data_dir: &Path, rows: u64) -> Seeded {
    let path = data_dir.join("cashdesk.db");
    let store = cashdesk_store::Store::open(&path).unwrap();
    let account = AccountId::new();
    store
        .add_account(
            account,
            &cashdesk_store::NewAccount {
                provider: ProviderKind::Zexabit,
                name: "Zexabit BD".into(),
                base_url: "http://127.0.0.1:9".into(),
                secret_names: vec![],
                config: serde_json::json!({}),
                sandbox: false,
            },
            &Actor::System,
        )
        .unwrap();
    drop(store);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    // One a second, the newest an hour old: every waiting request is past
    // its due time (15 minutes) before the app starts, so none falls due
    // while a benchmark measures an idle desk (a breach every second for
    // the first quarter hour is work, announced to supervisors).
    let newest = now - 3_600_000;
    let (dup_a, dup_b, probe_at) = (rows * 2 / 5 + 1, rows - 11, rows * 7 / 10 + 1);
    let mut ids = (String::new(), String::new(), String::new());
    let mut c = rusqlite::Connection::open(&path).unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut st = tx
            .prepare(
                "INSERT INTO requests (id, kind, provider, account_id, method, amount, currency,
                    end_user_ref, end_user_name, provider_user_id, trx_id, agent_number, destination,
                    merchant_ref, status, view, source, created_ms, updated_ms)
                 VALUES (?1, ?2, 'zexabit', ?3, ?4, ?5, 'BDT', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                    'intake', ?15, ?15)",
            )
            .unwrap();
        let mut history = tx
            .prepare(
                "INSERT INTO request_events (request_id, at_ms, actor, from_status, to_status, reason)
                 VALUES (?1, ?2, 'intake', NULL, 'pending', 'received from intake')",
            )
            .unwrap();
        for i in 0..rows {
            let id = RequestId(uuid::Uuid::now_v7());
            let deposit = i % 3 != 0 || i == dup_a || i == dup_b;
            // A few with the provider, as on a real desk (the poller asks
            // about each of those).
            let (status, view) = match i % 10 {
                _ if i == dup_a || i == dup_b => ("pending", "queue"),
                0..=5 => ("pending", "queue"),
                _ if i % 1000 == 999 => ("awaiting_provider", "in_flight"),
                6 | 7 | 9 => ("completed", "done"),
                _ => ("rejected", "done"),
            };
            let user = i % 20_000;
            let trx = match i {
                _ if i == dup_a || i == dup_b => DUPLICATE_TRX.to_owned(),
                _ if deposit => format!("TRX{i:08}"),
                _ => String::new(),
            };
            st.execute(rusqlite::params![
                id.to_string(),
                if deposit { "deposit" } else { "withdrawal" },
                account.to_string(),
                if i % 2 == 0 || deposit && trx == DUPLICATE_TRX {
                    "bkash"
                } else {
                    "nagad"
                },
                format!("{}.00", 100 + (i * 37) % 25_000),
                format!("usr_{user}"),
                format!("Customer {user}"),
                format!("zx_{user}"),
                (!trx.is_empty()).then_some(trx.clone()),
                deposit.then_some("01712345678"),
                (!deposit).then(|| format!("017{:08}", i % 100_000_000)),
                MerchantRef::for_request(id).0,
                status,
                view,
                newest - (rows - i) as i64 * 1000,
            ])
            .unwrap();
            history
                .execute(rusqlite::params![
                    id.to_string(),
                    newest - (rows - i) as i64 * 1000
                ])
                .unwrap();
            match i {
                _ if i == dup_a => ids.0 = id.to_string(),
                _ if i == dup_b => ids.1 = id.to_string(),
                _ if i == probe_at => ids.2 = id.to_string(),
                _ => {}
            }
        }
    }
    tx.commit().unwrap();
    c.execute_batch("ANALYZE").unwrap();
    Seeded {
        first_dup: ids.0,
        second_dup: ids.1,
        probe_trx: format!("TRX{probe_at:08}"),
        probe: ids.2,
    }
}
