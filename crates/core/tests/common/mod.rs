//! Shared set-up for the core's integration tests: temp data folders, the
//! test keychain service, simulators on loopback, and waiting helpers.

#![allow(dead_code)]

mod headless;
#[allow(unused_imports)]
pub use headless::*;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{AccountId, ProviderKind, RequestId, RequestStatus};
use cashdesk_sim::zexabit::{RunningZexabit, ZexabitSim, ZexabitSimConfig};
use std::path::Path;
use std::time::{Duration, Instant};

pub const KEYCHAIN_SERVICE: &str = "dev.cashdesk.test";

pub fn config(dir: &Path) -> Config {
    Config {
        data_dir: dir.to_owned(),
        keychain_service: KEYCHAIN_SERVICE.into(),
        http_addr: ([127, 0, 0, 1], 0).into(),
        sandbox_when_unconfigured: false,
        sandbox_interval: Duration::from_secs(3600),
        sandbox_settle_after: Duration::from_millis(300),
        notifications: false,
        pause_at: None,
        poll_interval: Duration::from_secs(15),
        probe_interval: Duration::from_millis(300),
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn zexabit_sim(callback: Option<String>) -> RunningZexabit {
    ZexabitSim::start(ZexabitSimConfig {
        callback_url: callback,
        settle_after: Duration::from_millis(400),
        initial_balance: rust_decimal::Decimal::from(100_000),
        webhook_attempts: 30,
        webhook_backoff: Duration::from_millis(100),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Adds a Zexabit account for `sim` (secrets into the test keychain).
pub fn add_zexabit_account(app: &Cashdesk, sim: &RunningZexabit) -> AccountId {
    api::set_operator(app, "Rina").unwrap();
    let acc = api::accounts::add_account(
        app,
        &NewAccountInput {
            provider: ProviderKind::Zexabit,
            name: "Zexabit BD".into(),
            base_url: sim.base_url(),
            secrets: vec![
                NamedValue {
                    name: "api_key".into(),
                    value: sim.api_key().into(),
                },
                NamedValue {
                    name: "webhook_secret".into(),
                    value: String::from_utf8(sim.webhook_secret().to_vec()).unwrap(),
                },
            ],
            settings: vec![],
        },
    )
    .expect("test keychain available (run under scripts/test.sh)");
    acc.id
}

pub fn wait_for<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub async fn wait_status(app: &Cashdesk, id: RequestId, want: RequestStatus) -> RequestDetail {
    let start = Instant::now();
    loop {
        let d = api::requests::get_request(app, id).unwrap();
        if d.summary.status == want {
            return d;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "request stuck at {:?}, wanted {want:?}: {:?}",
            d.summary.status,
            d.history
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Adds a Paykassma account named `name` for `sim` (secrets into the test
/// keychain).
pub fn add_paykassma_account(
    app: &Cashdesk,
    sim: &cashdesk_sim::paykassma::RunningPaykassma,
    name: &str,
) -> AccountId {
    let nv = |k: &str, v: &str| NamedValue {
        name: k.into(),
        value: v.into(),
    };
    api::accounts::add_account(
        app,
        &NewAccountInput {
            provider: ProviderKind::Paykassma,
            name: name.into(),
            base_url: sim.base_url(),
            secrets: vec![
                nv("secret", sim.secret()),
                nv("private_key", sim.private_key()),
            ],
            settings: vec![],
        },
    )
    .expect("test keychain available (run under scripts/test.sh)")
    .id
}

/// An intake request with the given essentials; the rest empty.
pub fn intake_request(
    intake_ref: &str,
    kind: cashdesk_domain::RequestKind,
    provider: ProviderKind,
    account: Option<AccountId>,
    (method, amount, currency): (&str, &str, &str),
) -> cashdesk_core::intake::IntakeRequest {
    cashdesk_core::intake::IntakeRequest {
        intake_ref: intake_ref.into(),
        kind,
        provider,
        account_id: account,
        method: method.into(),
        amount: amount.into(),
        currency: currency.into(),
        end_user_ref: "usr_abc123".into(),
        end_user_name: None,
        provider_user_id: None,
        trx_id: None,
        sender: None,
        agent_number: None,
        destination: None,
        details: serde_json::json!({}),
        screenshot: None,
    }
}

/// Adds a Zimo-pagos account for `sim`. Its notification URL is an HTTPS
/// address that cannot reach a loopback test: polling settles cashouts.
pub fn add_zimo_account(
    app: &Cashdesk,
    sim: &cashdesk_sim::zimo_pagos::RunningZimoPagos,
    name: &str,
) -> AccountId {
    let nv = |k: &str, v: &str| NamedValue {
        name: k.into(),
        value: v.into(),
    };
    api::accounts::add_account(
        app,
        &NewAccountInput {
            provider: ProviderKind::ZimoPagos,
            name: name.into(),
            base_url: sim.base_url(),
            secrets: vec![
                nv("login", sim.login()),
                nv("pass", sim.pass()),
                nv(
                    "signing_secret",
                    &String::from_utf8_lossy(sim.signing_secret()),
                ),
            ],
            settings: vec![nv(
                "notification_url",
                "https://desk.example.mx/notifications/zimo-pagos/x",
            )],
        },
    )
    .expect("test keychain available (run under scripts/test.sh)")
    .id
}

/// Adds a CashWeb account for `sim`.
pub fn add_cashweb_account(
    app: &Cashdesk,
    sim: &cashdesk_sim::cashweb::RunningCashWeb,
) -> AccountId {
    api::accounts::add_account(
        app,
        &NewAccountInput {
            provider: ProviderKind::Cashweb,
            name: "CashWeb".into(),
            base_url: sim.base_url(),
            secrets: vec![NamedValue {
                name: "api_key".into(),
                value: sim.api_key().into(),
            }],
            settings: vec![],
        },
    )
    .expect("test keychain available (run under scripts/test.sh)")
    .id
}
