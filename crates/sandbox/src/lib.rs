//! Sandbox mode, a client of the core: with no provider account
//! configured, Cashdesk runs the built-in Zexabit simulator (and
//! Zimo-pagos, Paykassma and CashWeb, see `zimo`, `paykassma` and
//! `cashweb`) on loopback and simulated customers who push requests
//! through the same intake endpoint an operator's platform uses, so a new
//! user sees a live queue at once. No real money moves. It uses only the
//! core's public API, so `cashdesk-core` does not depend on the simulators.

mod cashweb;
pub mod logs;
mod paykassma;
mod zimo;

use cashdesk_core::Cashdesk;
use cashdesk_core::error::{CoreError, CoreResult};
use cashdesk_core::intake::IntakeRequest;
use cashdesk_core::providers::{API_KEY, WEBHOOK_SECRET};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestKind};
use cashdesk_secrets::Secret;
use cashdesk_sim::zexabit::{RunningZexabit, ZexabitSim, ZexabitSimConfig};
use cashdesk_store::NewAccount;
use cashdesk_zexabit::{Client, CreateUserRequest, Paths};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use std::time::Duration;

struct Sandbox {
    zexabit: RunningZexabit,
    zimo: cashdesk_sim::zimo_pagos::RunningZimoPagos,
    paykassma: cashdesk_sim::paykassma::RunningPaykassma,
    cashweb: crate::cashweb::Running,
    customers: Vec<tokio::task::JoinHandle<()>>,
}

#[async_trait::async_trait]
impl cashdesk_core::Companion for Sandbox {
    async fn stop(self: Box<Self>) {
        for c in &self.customers {
            c.abort();
        }
        self.zexabit.shutdown().await;
        self.zimo.shutdown().await;
        self.paykassma.shutdown().await;
        self.cashweb.stop().await;
    }
}

const CUSTOMERS: &[(&str, &str)] = &[
    ("cust_rahim", "Rahim Uddin"),
    ("cust_ayesha", "Ayesha Khatun"),
    ("cust_arjun", "Arjun Mehta"),
    ("cust_priya", "Priya Nair"),
    ("cust_bilal", "Bilal Ahmed"),
    ("cust_sana", "Sana Tariq"),
    ("cust_tanvir", "Tanvir Hasan"),
];
const METHODS: &[&str] = &[
    "bkash",
    "nagad",
    "rocket",
    "upi",
    "phonepe",
    "jazzcash",
    "easypaisa",
    "usdt_trc20",
];

/// Starts the core, and sandbox mode when no provider account is
/// configured (and `CASHDESK_SANDBOX` is not `off`): what the desktop app
/// and the headless binary run.
pub async fn start(config: cashdesk_core::Config) -> CoreResult<Cashdesk> {
    let app = Cashdesk::start(config).await?;
    let configured = !app.store().accounts()?.is_empty();
    if !configured && app.config().sandbox_when_unconfigured {
        run(&app).await?;
        app.prefetch_reference_data();
    }
    Ok(app)
}

async fn run(app: &Cashdesk) -> CoreResult<()> {
    let http = app
        .http_info()
        .ok_or_else(|| CoreError::Sandbox("local server not started".into()))?;
    let account = AccountId::new();
    let api_key = hex::encode(rand::random::<[u8; 16]>());
    let secret = hex::encode(rand::random::<[u8; 16]>());
    let sim = ZexabitSim::start(ZexabitSimConfig {
        api_key: api_key.clone(),
        webhook_secret: secret.clone(),
        callback_url: Some(format!("http://{}/webhooks/zexabit/{account}", http.addr)),
        settle_after: app.config().sandbox_settle_after,
        initial_balance: Decimal::from(200_000),
        // The documented 100/min: the simulated customers' platform shares
        // the partner key with the desk, and the adapter's per-key limiter
        // keeps both together inside it.
        ..Default::default()
    })
    .await
    .map_err(|e| CoreError::Sandbox(e.to_string()))?;
    app.store().add_account(
        account,
        &NewAccount {
            provider: ProviderKind::Zexabit,
            name: "Zexabit (sandbox)".into(),
            base_url: sim.base_url(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: true,
        },
        &Actor::System,
    )?;
    app.remember_secret_for_run(account, API_KEY, Secret::new(api_key.clone()));
    app.remember_secret_for_run(account, WEBHOOK_SECRET, Secret::new(secret));
    app.fetch_methods(account)
        .await
        .map_err(|e| CoreError::Sandbox(e.to_string()))?;
    let client = Client::new(&sim.base_url(), api_key, Paths::default())
        .map_err(|e| CoreError::Sandbox(e.to_string()))?;
    let intake = format!("http://{}/intake/v1/requests", http.addr);
    let interval = app.config().sandbox_interval;
    let zimo = crate::zimo::start(app, &http).await?;
    let paykassma = crate::paykassma::start(app, &http).await?;
    let cashweb = crate::cashweb::start(app, interval * 2).await?;
    let customers = vec![
        tokio::spawn(report_received(
            sim.ledger(),
            app.config()
                .data_dir
                .join("sandbox")
                .join("zexabit-received.json"),
            interval,
        )),
        tokio::spawn(customers(
            client,
            intake.clone(),
            http.intake_token.clone(),
            interval,
        )),
        tokio::spawn(crate::zimo::customers(
            intake.clone(),
            http.intake_token.clone(),
            interval * 3,
        )),
        tokio::spawn(crate::paykassma::customers(
            intake,
            http.intake_token,
            interval * 2,
        )),
    ];
    app.attach(Box::new(Sandbox {
        zexabit: sim,
        zimo,
        paykassma,
        cashweb,
        customers,
    }));
    tracing::info!(
        "sandbox mode: simulated Zexabit, Zimo-pagos, Paykassma, CashWeb and customers are running"
    );
    Ok(())
}

/// Writes what the simulated Zexabit received to `path` whenever it grew:
/// proof, counted at the provider, that each approval was sent once.
async fn report_received(
    ledger: cashdesk_sim::zexabit::ZexabitLedger,
    path: std::path::PathBuf,
    interval: Duration,
) {
    let mut written = usize::MAX;
    loop {
        tokio::time::sleep(interval).await;
        let txns: Vec<_> = ledger
            .deposits()
            .into_iter()
            .chain(ledger.withdrawals())
            .collect();
        if txns.len() == written {
            continue;
        }
        let rows: Vec<serde_json::Value> = txns
            .iter()
            .map(|t| {
                serde_json::json!({
                    "id": t.id,
                    "external_user_id": t.external_user_id,
                    "amount": t.amount.to_string(),
                    "currency": t.currency,
                    "account_number": t.account_number,
                    "transaction_id": t.transaction_id,
                })
            })
            .collect();
        let tmp = path.with_extension("tmp");
        let ok = path
            .parent()
            .is_some_and(|d| std::fs::create_dir_all(d).is_ok())
            && std::fs::write(&tmp, serde_json::Value::from(rows).to_string()).is_ok()
            && std::fs::rename(&tmp, &path).is_ok();
        if ok {
            written = txns.len();
        }
    }
}

/// A fresh `intake_ref` for a simulated customer's request: unique across
/// runs and sandbox restarts in one process (a reused one with another
/// body would be refused as a conflict, as intake must).
pub(crate) fn intake_ref(provider: &str, n: u64) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    static RUN: std::sync::LazyLock<u32> = std::sync::LazyLock::new(rand::random);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    format!("sandbox-{provider}-{:08x}-{seq}-{n}", *RUN)
}

/// Registers the customers with the simulator (as the operator's platform
/// would), then sends one request per `interval`, a few at once at first.
async fn customers(zx: Client, intake: String, token: String, interval: Duration) {
    let mut users = Vec::new();
    for (ext, name) in CUSTOMERS {
        let req = CreateUserRequest {
            external_user_id: (*ext).into(),
            username: ext.replace("cust_", "user_"),
            email: None,
            phone: None,
        };
        match zx.create_user(&req).await {
            Ok(u) => users.push((*ext, *name, u.user_id)),
            Err(e) => tracing::warn!("sandbox customer {ext}: {e}"),
        }
    }
    if users.is_empty() {
        return;
    }
    let http = reqwest::Client::new();
    let mut rng = StdRng::from_os_rng();
    for n in 0u64.. {
        let wait = if n < 6 {
            Duration::from_millis(250)
        } else {
            interval
        };
        tokio::time::sleep(wait).await;
        let (ext, name, uid) = users[rng.random_range(0..users.len())].clone();
        let method = METHODS[rng.random_range(0..METHODS.len())];
        // Now and then a deposit whose first call to Zexabit is lost (the
        // simulator's `LOST` marker): a supervisor's unknown outcome.
        let lost = n % 20 == 2;
        let deposit = lost || rng.random_bool(0.65);
        let (amount, currency) = amount_for(method, &mut rng);
        let mut req = IntakeRequest {
            intake_ref: intake_ref("zx", n),
            kind: if deposit {
                RequestKind::Deposit
            } else {
                RequestKind::Withdrawal
            },
            provider: ProviderKind::Zexabit,
            account_id: None,
            method: method.into(),
            amount,
            currency: currency.into(),
            end_user_ref: ext.into(),
            end_user_name: Some(name.into()),
            provider_user_id: Some(uid),
            trx_id: None,
            sender: None,
            agent_number: None,
            destination: None,
            details: serde_json::json!({}),
            screenshot: None,
        };
        if deposit {
            // The customer is shown an agent number, sends money, gives a TrxID.
            let Ok(agent) = zx.agent_number(method).await else {
                continue;
            };
            req.agent_number = Some(agent.account_number);
            let fake = rng.random_bool(0.1);
            req.trx_id = Some(format!(
                "{}{}",
                if lost {
                    "LOST"
                } else if fake {
                    "FAKE"
                } else {
                    "TRX"
                },
                code(&mut rng, 8)
            ));
            req.sender = Some(wallet(method, &mut rng));
        } else {
            req.destination = Some(wallet(method, &mut rng));
        }
        if let Err(e) = http
            .post(&intake)
            .bearer_auth(&token)
            .json(&req)
            .send()
            .await
            .and_then(|r| r.error_for_status())
        {
            tracing::warn!("sandbox intake: {e}");
        }
    }
}

fn amount_for(method: &str, rng: &mut StdRng) -> (String, &'static str) {
    match method {
        "usdt_trc20" => (
            format!(
                "{}.{:02}",
                rng.random_range(10..400),
                rng.random_range(0..100)
            ),
            "USDT",
        ),
        "upi" | "phonepe" => ((rng.random_range(4..200) * 50).to_string(), "INR"),
        "jazzcash" | "easypaisa" => ((rng.random_range(10..200) * 100).to_string(), "PKR"),
        _ => ((rng.random_range(4..300) * 50).to_string(), "BDT"),
    }
}

fn code(rng: &mut StdRng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn wallet(method: &str, rng: &mut StdRng) -> String {
    match method {
        "upi" | "phonepe" => format!("{}@okaxis", code(rng, 6).to_lowercase()),
        "usdt_trc20" => format!("T{}", code(rng, 33)),
        "jazzcash" | "easypaisa" => format!("03{:09}", rng.random_range(0..1_000_000_000u64)),
        _ => format!(
            "01{}{:08}",
            rng.random_range(3..10),
            rng.random_range(0..100_000_000u64)
        ),
    }
}
