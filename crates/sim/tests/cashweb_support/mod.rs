//! Helpers for the CashWeb simulator tests: a raw HTTP caller, so the
//! tests see exactly what goes over the wire, and the documented shapes.

#![allow(dead_code)] // each test file uses a different subset

use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, Market, RunningCashWeb};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::time::Duration;

#[path = "../answer/mod.rs"]
mod answer_mod;
pub use answer_mod::{Answer, answer};

pub async fn sim(config: CashWebSimConfig) -> RunningCashWeb {
    CashWebSim::start(config).await.expect("simulator starts")
}

/// Default deadlines, quick confirmations.
pub fn fast() -> CashWebSimConfig {
    CashWebSimConfig {
        confirmation_interval: Duration::from_millis(50),
        ..CashWebSimConfig::default()
    }
}

/// USDT on TRC20 needing `required` confirmations, `interval` apart.
pub fn chain(required: u32, interval: Duration) -> CashWebSimConfig {
    CashWebSimConfig {
        confirmation_interval: interval,
        markets: vec![Market {
            crypto_currency: "usdt".into(),
            network: "trc20".into(),
            rate: Decimal::new(161_500, 2),
            required_confirmations: required,
        }],
        ..CashWebSimConfig::default()
    }
}

/// The twelve fields of the documented create response.
pub const CREATE_FIELDS: [&str; 12] = [
    "id",
    "deposit_address",
    "network",
    "expires_at",
    "status",
    "rate",
    "amount",
    "crypto_amount",
    "crypto_currency",
    "merchant_reference",
    "merchant_id",
    "terminal_id",
];

/// The documented TSQ reconciliation fields.
pub const TSQ_FIELDS: [&str; 12] = [
    "crypto_currency",
    "crypto_amount",
    "rate",
    "amount",
    "created_at",
    "updated_at",
    "deposit_id",
    "deposit_status",
    "confirmations",
    "required_confirmations",
    "received_at",
    "confirmed_at",
];

impl Answer {
    pub fn data(&self) -> &Value {
        &self.json["data"]
    }
}

pub struct Api {
    pub base: String,
    pub key: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(sim: &RunningCashWeb) -> Self {
        Self {
            base: sim.base_url(),
            key: sim.api_key().to_owned(),
            http: reqwest::Client::new(),
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("Content-Type", "application/json")
            .body(body.to_string());
        answer(req.send().await.expect("request answered")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        let req = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        answer(req.send().await.expect("request answered")).await
    }

    /// `POST /transactions` in direct mode for USDT on TRC20.
    pub async fn create(&self, reference: &str, fiat: &str) -> Answer {
        self.post(
            "/transactions",
            json!({"merchant_reference": reference, "fiat_amount": fiat,
                   "crypto_currency": "usdt", "network": "trc20"}),
        )
        .await
    }

    /// Creates and returns the new transaction's id.
    pub async fn created_id(&self, reference: &str) -> String {
        let a = self.create(reference, "161500.00").await;
        assert_eq!(a.status, 201, "{}", a.text);
        a.data()["id"].as_str().unwrap().to_owned()
    }

    pub async fn cancel(&self, id: &str, key: Option<&str>) -> Answer {
        let mut req = self
            .http
            .post(format!("{}/transactions/{id}/cancel", self.base))
            .bearer_auth(&self.key);
        if let Some(key) = key {
            req = req.header("Idempotency-Key", key);
        }
        answer(req.send().await.expect("request answered")).await
    }
}

/// Asserts the assumed error shape and returns its message.
pub fn error(a: &Answer, status: u16, code: &str) -> String {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.json["success"], json!(false), "{}", a.text);
    assert_eq!(a.json["error"]["code"], json!(code), "{}", a.text);
    a.json["error"]["message"]
        .as_str()
        .expect("message")
        .to_owned()
}

/// Polls `GET /transactions/{id}` until `done` holds (10 s at most),
/// returning every status seen on the way.
pub async fn watch(api: &Api, id: &str, done: impl Fn(&Value) -> bool) -> (Value, Vec<Value>) {
    let mut seen = Vec::new();
    for _ in 0..500 {
        let a = api.get(&format!("/transactions/{id}")).await;
        assert_eq!(a.status, 200, "{}", a.text);
        let data = a.data().clone();
        seen.push(data.clone());
        if done(&data) {
            return (data, seen);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("transaction {id} never reached the expected state: {seen:?}");
}
