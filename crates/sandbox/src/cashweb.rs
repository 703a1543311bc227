//! Sandbox mode for CashWeb: the simulator on loopback with fast block
//! confirmations, and simulated customers whose checkout creates CashWeb
//! transactions. CashWeb has a transaction list, so nothing is pushed to
//! the intake here: the desk's own feed finds them, as in production.
//! Most customers pay a little later; some never do and their deposits
//! expire.

use cashdesk_cashweb::CreateTransactionRequest;
use cashdesk_core::Cashdesk;
use cashdesk_core::error::{CoreError, CoreResult};
use cashdesk_core::providers::API_KEY;
use cashdesk_domain::{AccountId, Actor, ProviderKind};
use cashdesk_secrets::Secret;
use cashdesk_sim::cashweb::{CashWebSim, CashWebSimConfig, RunningCashWeb};
use cashdesk_store::NewAccount;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use std::time::Duration;
use tokio::sync::oneshot;

/// The simulator lives in its customers' task; stopping ends both.
pub(crate) struct Running {
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

pub(crate) async fn start(app: &Cashdesk, interval: Duration) -> CoreResult<Running> {
    let account = AccountId::new();
    let sim = CashWebSim::start(CashWebSimConfig {
        api_key: hex::encode(rand::random::<[u8; 16]>()),
        confirmation_interval: Duration::from_millis(250),
        // Short enough that an unpaid deposit visibly expires in a session.
        deposit_expiry: Duration::from_secs(180),
        ..Default::default()
    })
    .await
    .map_err(|e| CoreError::Sandbox(e.to_string()))?;
    app.store().add_account(
        account,
        &NewAccount {
            provider: ProviderKind::Cashweb,
            name: "CashWeb (sandbox)".into(),
            base_url: sim.base_url(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: true,
        },
        &Actor::System,
    )?;
    app.remember_secret_for_run(account, API_KEY, Secret::new(sim.api_key().to_owned()));
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(async move {
        tokio::select! {
            _ = customers(&sim, interval) => {}
            _ = stopped => {}
        }
        sim.shutdown().await;
    });
    Ok(Running { stop, task })
}

const MARKETS: &[(&str, &str)] = &[("usdt", "trc20"), ("usdt", "bep20"), ("btc", "bitcoin")];

async fn customers(sim: &RunningCashWeb, interval: Duration) {
    let mut rng = StdRng::from_os_rng();
    for n in 0u64.. {
        tokio::time::sleep(if n < 3 {
            Duration::from_millis(300)
        } else {
            interval
        })
        .await;
        let (crypto, network) = MARKETS[rng.random_range(0..MARKETS.len())];
        let fiat = Decimal::from(rng.random_range(20..400) * 500);
        // One in five never pays (the deposit expires), the second one
        // included, so there is always one an agent can cancel; their
        // references say so, like the other sandboxes' FAKE transaction ids.
        let pays = n % 5 != 1;
        let who = if pays { "sbx" } else { "sbx-abandoned" };
        let reference = format!("{who}-{}-{n}", std::process::id());
        let req = CreateTransactionRequest::direct(reference, fiat, crypto, network);
        let t = match sim.create_as_customer(&req) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!("sandbox CashWeb customer: {}", e.message);
                continue;
            }
        };
        if pays {
            let delay = Duration::from_secs(rng.random_range(2..20));
            if let Err(e) = sim.deposit_arrives_after(&t.id, delay) {
                tracing::warn!("sandbox CashWeb deposit: {}", e.message);
            }
        }
    }
}
