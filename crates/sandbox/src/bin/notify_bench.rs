//! Benchmark: a provider webhook to its desktop notification. The core runs
//! as the app does (local server, notifier) against the Zexabit simulator;
//! for each deposit the bench approves it, lets the simulator accept the
//! call, then posts the signed `deposit.completed` webhook itself and takes
//! the time the notification server is called (`dbus-monitor` timestamps
//! the Notify call on the bus). Runs on a private session bus with a
//! notification daemon: `scripts/bench.sh` starts one.
//! Usage: cashdesk-notify-bench [--runs N] [--append FILE]

use cashdesk_core::api::{requests, session};
use cashdesk_core::intake::IntakeRequest;
use cashdesk_core::providers::{API_KEY, WEBHOOK_SECRET};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestKind, RequestStatus};
use cashdesk_secrets::Secret;
use cashdesk_sim::zexabit::{ZexabitSim, ZexabitSimConfig};
use cashdesk_zexabit::webhook::{self, EventKind, SIGNATURE_HEADER, WebhookData, WebhookEvent};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A notice shown starts a 700 ms grouping window; runs are spaced past it
/// so each webhook is the first of its burst, as a lone one is.
const SPACING: Duration = Duration::from_millis(900);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut runs = 100usize;
    let mut append = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--append" => append = args.next(),
            _ => anyhow::bail!("usage: cashdesk-notify-bench [--runs N] [--append FILE]"),
        }
    }
    let (tx, notified) = std::sync::mpsc::channel::<f64>();
    let mut monitor = Command::new("dbus-monitor")
        .args([
            "--session",
            "interface=org.freedesktop.Notifications,member=Notify",
        ])
        .stdout(Stdio::piped())
        .spawn()?;
    let out = monitor.stdout.take().expect("piped");
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(t) = line
                .split_whitespace()
                .find_map(|w| w.strip_prefix("time="))
                .and_then(|t| t.parse::<f64>().ok())
                && line.contains("member=Notify")
            {
                let _ = tx.send(t);
            }
        }
    });

    let dir = tempfile::tempdir()?;
    let mut config = Config::from_env(dir.path().to_owned());
    config.http_addr = ([127, 0, 0, 1], 0).into();
    config.notifications = true;
    config.sandbox_when_unconfigured = false;
    config.keychain_service = "dev.cashdesk.bench".into();
    let app = Cashdesk::start(config).await?;
    let http = app.http_info().expect("local server");
    let account = AccountId::new();
    let secret = "bench-webhook-secret".to_owned();
    let sim = ZexabitSim::start(ZexabitSimConfig {
        webhook_secret: secret.clone(),
        // The bench sends the webhook itself, timed; the simulator never does.
        settle_after: Duration::from_secs(24 * 3600),
        initial_balance: rust_decimal::Decimal::from(1_000_000),
        ..Default::default()
    })
    .await?;
    app.store().add_account(
        account,
        &cashdesk_store::NewAccount {
            provider: ProviderKind::Zexabit,
            name: "Zexabit (bench)".into(),
            base_url: sim.base_url(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: false,
        },
        &Actor::System,
    )?;
    app.remember_secret_for_run(account, API_KEY, Secret::new(sim.api_key().to_owned()));
    app.remember_secret_for_run(account, WEBHOOK_SECRET, Secret::new(secret.clone()));
    app.fetch_methods(account).await?;
    session::create_first_admin(
        &app,
        "Bench",
        session::SecretKind::Password,
        "bench-pass-2026",
    )
    .map_err(|e| anyhow::anyhow!(e.message))?;
    let client =
        cashdesk_zexabit::Client::new(&sim.base_url(), sim.api_key().into(), Default::default())?;
    let user = client
        .create_user(&cashdesk_zexabit::CreateUserRequest {
            external_user_id: "usr_bench".into(),
            username: "bench".into(),
            email: None,
            phone: None,
        })
        .await?
        .user_id;
    let url = format!("http://{}/webhooks/zexabit/{account}", http.addr);
    let http_client = reqwest::Client::new();
    // The first of a session opens its D-Bus connection: not measured.
    let mut latencies = Vec::with_capacity(runs);
    for n in 0..=runs {
        let req = IntakeRequest {
            intake_ref: format!("bench-{n}"),
            kind: RequestKind::Deposit,
            provider: ProviderKind::Zexabit,
            account_id: Some(account),
            method: "bkash".into(),
            amount: "500".into(),
            currency: "BDT".into(),
            end_user_ref: "usr_bench".into(),
            end_user_name: None,
            provider_user_id: Some(user.clone()),
            trx_id: Some(format!("TRXBENCH{n:04}")),
            sender: None,
            agent_number: Some("01712345678".into()),
            destination: None,
            details: serde_json::json!({}),
            screenshot: None,
        };
        let id = cashdesk_core::intake::submit(&app, &req)?.0.id;
        requests::approve(&app, id).map_err(|e| anyhow::anyhow!(e.message))?;
        let txn = loop {
            let d = requests::get_request(&app, id).map_err(|e| anyhow::anyhow!(e.message))?;
            if d.summary.status == RequestStatus::AwaitingProvider {
                let txn_id = d.provider_txn_id.unwrap_or_default();
                break sim
                    .deposits()
                    .into_iter()
                    .find(|t| t.id == txn_id)
                    .expect("the simulator holds the deposit");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        tokio::time::sleep(SPACING).await;
        while notified.try_recv().is_ok() {}
        let event = WebhookEvent {
            event: EventKind::DepositCompleted,
            timestamp: chrono::Utc::now(),
            data: WebhookData {
                transaction_id: txn.id.clone(),
                external_user_id: txn.external_user_id.clone(),
                user_id: txn.user_id.clone(),
                amount: txn.amount,
                payment_method: txn.payment_method.clone(),
                status: cashdesk_zexabit::Status::Completed,
                new_balance: None,
            },
        };
        let body = webhook::to_wire_body(&event);
        let signature = webhook::sign(secret.as_bytes(), &body);
        let sent = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64();
        let answer = http_client
            .post(&url)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "webhook refused: {}",
            answer.status()
        );
        let shown = notified
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| anyhow::anyhow!("no notification for run {n}"))?;
        if n > 0 {
            latencies.push(Duration::from_secs_f64((shown - sent).max(0.0)));
        }
    }
    let _ = monitor.kill();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let report = format!(
        "\n## A provider webhook to its desktop notification ({} runs)\n\n\
         | median | p99 | max | target |\n|---|---|---|---|\n\
         | {} | **{}** | {} | p99 < 200 ms |\n\n\
         `cashdesk-notify-bench`: the core as the app runs it, against the Zexabit\n\
         simulator. Each run approves a deposit, then posts its signed\n\
         `deposit.completed` webhook to the local server; the time is taken from\n\
         just before the POST to the Notify call on the session bus (timestamped\n\
         by `dbus-monitor`), with dunst as the notification server. The webhook\n\
         is verified, matched, settled and committed before the notice goes out;\n\
         the first notice of a burst is shown at once, later ones within 700 ms\n\
         grouped (runs are spaced past that window).\n",
        latencies.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO)),
    );
    print!("{report}");
    if let Some(path) = append {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)?
            .write_all(report.as_bytes())?;
    }
    app.shutdown().await;
    sim.shutdown().await;
    Ok(())
}
