//! Shared set-up for the core's integration tests: temp data folders, the
//! test keychain service, simulators on loopback, and waiting helpers.

#![allow(dead_code)]

pub mod paykassma_desk;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{AccountId, ProviderKind, RequestId, RequestStatus};
use cashdesk_sim::zexabit::{RunningZexabit, ZexabitSim, ZexabitSimConfig};
use std::path::Path;
use std::time::{Duration, Instant};

pub const KEYCHAIN_SERVICE: &str = "dev.cashdesk.test";

/// Every test operator's password.
pub const PASSWORD: &str = "correct horse 1";

/// Logs `name` in: the first admin (all roles) on a new desk, else the
/// operator of that name, added with all roles by the first admin when
/// missing. Tests that need one role only build their own operators.
pub fn act_as(app: &Cashdesk, name: &str) {
    use cashdesk_core::api::session::{self, SecretKind};
    use cashdesk_core::session::SessionState;
    let s = session::session(app).unwrap();
    if s.state == SessionState::FirstStart {
        session::create_first_admin(app, name, SecretKind::Password, PASSWORD).unwrap();
        return;
    }
    if let Some(o) = s.operators.iter().find(|o| o.name == name) {
        session::log_in(app, o.id, PASSWORD).unwrap();
        return;
    }
    let first = s.operators[0].id;
    session::log_in(app, first, PASSWORD).unwrap();
    let added = api::operators::add_operator(
        app,
        &api::operators::NewOperatorInput {
            name: name.into(),
            roles: cashdesk_domain::Role::ALL.to_vec(),
            login: "password".into(),
            secret: PASSWORD.into(),
        },
    )
    .unwrap();
    session::log_in(app, added.badge.id, PASSWORD).unwrap();
}

/// Adds an operator with `roles` and the tests' password (as the logged-in
/// admin), for tests that need one role only.
/// The code a call was refused with, if it was refused.
pub fn code<T: std::fmt::Debug>(r: api::ApiResult<T>) -> Option<api::dto::ErrorCode> {
    r.err().map(|e| e.code)
}

/// Refused because the operator's roles do not allow it.
pub fn needs_role<T: std::fmt::Debug>(r: api::ApiResult<T>) -> bool {
    code(r) == Some(api::dto::ErrorCode::NeedsRole)
}

/// The code of a call that must be refused (fails the test otherwise).
pub fn refusal<T: std::fmt::Debug>(r: api::ApiResult<T>) -> api::dto::ErrorCode {
    r.expect_err("refused").code
}

pub fn add_person(
    app: &Cashdesk,
    name: &str,
    roles: &[cashdesk_domain::Role],
) -> cashdesk_domain::OperatorId {
    api::operators::add_operator(
        app,
        &api::operators::NewOperatorInput {
            name: name.into(),
            roles: roles.to_vec(),
            login: "password".into(),
            secret: PASSWORD.into(),
        },
    )
    .unwrap()
    .badge
    .id
}

pub fn config(dir: &Path) -> Config {
    Config {
        data_dir: dir.to_owned(),
        database_url: None,
        keychain_service: KEYCHAIN_SERVICE.into(),
        secrets_file: None,
        http_addr: ([127, 0, 0, 1], 0).into(),
        http_hosts: Vec::new(),
        sandbox_when_unconfigured: false,
        sandbox_interval: Duration::from_secs(3600),
        sandbox_settle_after: Duration::from_millis(300),
        notifications: false,
        pause_at: None,
        poll_interval: Duration::from_secs(15),
        probe_interval: Duration::from_millis(300),
        server_beat: Duration::from_secs(5),
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

/// A customer on the Zexabit simulator; returns its user id.
pub async fn zexabit_user(sim: &RunningZexabit) -> String {
    cashdesk_zexabit::Client::new(&sim.base_url(), sim.api_key().into(), Default::default())
        .unwrap()
        .create_user(&cashdesk_zexabit::CreateUserRequest {
            external_user_id: "usr_abc123".into(),
            username: "john_doe".into(),
            email: None,
            phone: None,
        })
        .await
        .unwrap()
        .user_id
}

/// A Zexabit account straight in the store, with no secrets and nothing
/// listening (tests of what the desk reads and writes, not of sending).
pub fn offline_zexabit_account(app: &Cashdesk) -> AccountId {
    let acc = AccountId::new();
    app.store()
        .add_account(
            acc,
            &cashdesk_store::NewAccount {
                provider: ProviderKind::Zexabit,
                name: "Zexabit BD".into(),
                base_url: "http://127.0.0.1:1".into(),
                secret_names: vec![],
                config: serde_json::json!({}),
                sandbox: false,
            },
            &cashdesk_domain::Actor::System,
        )
        .unwrap();
    acc
}

/// Adds a Zexabit account for `sim` (secrets into the test keychain).
pub fn add_zexabit_account(app: &Cashdesk, sim: &RunningZexabit) -> AccountId {
    act_as(app, "Rina");
    let acc = add_account(
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
    add_account(
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
    add_account(
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
    add_account(
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

/// Adds an account, riding out a keychain daemon that is being restarted:
/// gnome-keyring 42 aborts when a client vanishes mid-call (the kill -9
/// tests), and scripts/test-session.sh brings it back at once.
pub fn add_account(app: &Cashdesk, input: &NewAccountInput) -> api::ApiResult<AccountView> {
    let mut tries = 0;
    loop {
        match api::accounts::add_account(app, input) {
            Err(e) if e.code == ErrorCode::KeychainUnavailable && tries < 20 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
            other => return other,
        }
    }
}

/// Runs a call that reads the keychain again while the test keyring is
/// being restarted (gnome-keyring 42 aborts when a client killed -9 in
/// the middle of a call vanishes; `scripts/test-session.sh` restarts it).
pub async fn keychain_retry<T, F, Fut>(mut call: F) -> api::ApiResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = api::ApiResult<T>>,
{
    let mut tries = 0;
    loop {
        match call().await {
            Err(e) if e.code == ErrorCode::KeychainUnavailable && tries < 20 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => return other,
        }
    }
}

/// A 500 BDT bKash deposit of a new Zexabit customer, filed by intake.
pub async fn zexabit_deposit(
    app: &Cashdesk,
    sim: &RunningZexabit,
    account: AccountId,
) -> RequestId {
    let user = zexabit_user(sim).await;
    let mut req = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        cashdesk_domain::RequestKind::Deposit,
        ProviderKind::Zexabit,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.provider_user_id = Some(user);
    req.trx_id = Some("TRX8B7K9M2".into());
    req.agent_number = Some("01712345678".into());
    cashdesk_core::intake::submit(app, &req).unwrap().0.id
}
