//! Helpers shared by the Zimo-pagos simulator tests: a raw HTTP caller that
//! signs exactly the bytes it sends (so the tests see the wire), a valid
//! cashout body to vary, and a notification receiver.

#![allow(dead_code)] // each test file uses a different subset

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use cashdesk_sim::zimo_pagos::{RunningZimoPagos, ZimoPagosSim, ZimoPagosSimConfig};
use cashdesk_zimo_pagos::{CashoutStatus, Client, Notification, signature};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

#[path = "../answer/mod.rs"]
mod answer_mod;
pub use answer_mod::{Answer, answer};

/// Banxico's example CLABE: 18 digits, right control digit.
pub const CLABE: &str = "032180000118359719";
/// A Luhn-valid test card number.
pub const CARD: &str = "4111111111111111";

pub async fn sim(config: ZimoPagosSimConfig) -> RunningZimoPagos {
    ZimoPagosSim::start(config).await.expect("simulator starts")
}

pub fn fast() -> ZimoPagosSimConfig {
    ZimoPagosSimConfig {
        deliver_after: Duration::from_millis(100),
        settle_after: Duration::from_millis(100),
        notification_retry_wait: Duration::from_millis(50),
        ..ZimoPagosSimConfig::default()
    }
}

/// A cashout body every rule accepts, with the simulator's credentials.
pub fn body(sim: &RunningZimoPagos, external_id: &str, notification_url: &str) -> Value {
    json!({
        "login": sim.login(), "pass": sim.pass(), "external_id": external_id,
        "country": "MX", "amount": 1500.50, "currency": "MXN",
        "document_id": "GODE561231HDFABC09", "beneficiary_name": "José",
        "beneficiary_lastname": "Pérez", "email": "jose@example.com",
        "bank_code": 72, "bank_account": CLABE, "notification_url": notification_url,
        "on_hold": false
    })
}

pub struct Api {
    pub base: String,
    pub card_base: String,
    pub secret: Vec<u8>,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(sim: &RunningZimoPagos) -> Self {
        Self {
            base: sim.base_url(),
            card_base: sim.card_base_url(),
            secret: sim.signing_secret().to_vec(),
            http: reqwest::Client::new(),
        }
    }

    /// POSTs `body` to `base + path`, signed over exactly the bytes sent.
    pub async fn post_to(&self, base: &str, path: &str, body: &Value) -> Answer {
        let bytes = body.to_string().into_bytes();
        let sig = signature::sign(&self.secret, &bytes);
        self.raw(base, path, bytes, Some(&sig), "application/json")
            .await
    }

    pub async fn cashout(&self, body: &Value) -> Answer {
        self.post_to(&self.base.clone(), "/v3/cashout", body).await
    }

    pub async fn card_cashout(&self, body: &Value) -> Answer {
        self.post_to(&self.card_base.clone(), "/v3/cashout", body)
            .await
    }

    pub async fn status(&self, body: &Value) -> Answer {
        self.post_to(&self.base.clone(), "/v3/cashout/status", body)
            .await
    }

    pub async fn raw(
        &self,
        base: &str,
        path: &str,
        bytes: Vec<u8>,
        signature: Option<&str>,
        content_type: &str,
    ) -> Answer {
        let mut req = self
            .http
            .post(format!("{base}{path}"))
            .header("Content-Type", content_type)
            .body(bytes);
        if let Some(sig) = signature {
            req = req.header("Payload-Signature", sig);
        }
        answer(req.send().await.expect("request answered")).await
    }
}

/// Asserts Zimo-pagos' error shape and returns its message.
pub fn error(a: &Answer, status: u16, code: i64) -> String {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.json["code"], json!(code), "{}", a.text);
    a.json["message"].as_str().expect("message").to_owned()
}

/// A notification as the receiver saw it, and what the receiver then
/// learned from the status call (when it was given a client).
pub struct Received {
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub status: Option<CashoutStatus>,
}

pub struct Receiver {
    pub url: String,
    rx: mpsc::UnboundedReceiver<Received>,
}

struct Inbox {
    tx: mpsc::UnboundedSender<Received>,
    refuse_first: AtomicU32,
    client: Option<Client>,
}

impl Receiver {
    /// Answers 500 to the first `refuse_first` notifications. With a
    /// client it handles each as the core must: parse, fetch the status,
    /// and answer 2xx only when both worked.
    pub async fn start(refuse_first: u32, client: Option<Client>) -> Receiver {
        let (tx, rx) = mpsc::unbounded_channel();
        let inbox = Arc::new(Inbox {
            tx,
            refuse_first: AtomicU32::new(refuse_first),
            client,
        });
        let app = Router::new()
            .route("/zimo/notify", post(receive))
            .with_state(inbox);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/zimo/notify", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, rx }
    }

    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
            .await
            .expect("a notification within 10 s")
            .expect("receiver open")
    }

    /// True if nothing arrives within `wait`.
    pub async fn quiet_for(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.rx.recv()).await.is_err()
    }
}

async fn receive(State(inbox): State<Arc<Inbox>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut status = None;
    let mut handled = true;
    if let Some(client) = &inbox.client {
        match Notification::parse(content_type.as_deref(), &body) {
            Ok(n) => match client.status(&n.status_query()).await {
                Ok(s) => status = Some(s),
                Err(_) => handled = false,
            },
            Err(_) => handled = false,
        }
    }
    let _ = inbox.tx.send(Received {
        content_type,
        body: body.to_vec(),
        status,
    });
    let refused = inbox
        .refuse_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if refused || !handled {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}
