//! What the store's test files share: a store with one Zexabit account,
//! a deposit to file, and the agent who decides.

#![allow(dead_code)]

pub mod desk;

use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind};
use cashdesk_store::*;

pub fn store() -> (tempfile::TempDir, Store, AccountId) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cashdesk.db")).unwrap();
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
    (dir, store, id)
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
