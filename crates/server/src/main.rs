//! `cashdesk-server`: a team desk's server. The headless core (outbox
//! worker, poller, provider webhooks, intake) on the desk's database,
//! serving desktops over TLS. Configured by environment variables, which
//! the packaged systemd unit reads from `/etc/cashdesk/server.env`
//! (README, "Team desk"):
//!
//! - `cashdesk-server` runs the server;
//! - `cashdesk-server first-admin NAME [--pin]` makes the desk's first admin
//!   (the secret is read from standard input), on the server only;
//! - `cashdesk-server fingerprint` prints the certificate's fingerprint,
//!   which agents compare when their desktop joins;
//! - `cashdesk-server verify-audit` checks the audit log (exit 0 or 1).

use cashdesk_core::team::{SESSION_TTL, TeamServerConfig, TlsSource};
use cashdesk_core::{Cashdesk, Config};
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

fn var(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

/// Set to 1, a server with no provider account runs the sandbox (simulated
/// providers and customers), to try a team desk before connecting one.
const SANDBOX: &str = "CASHDESK_SERVER_SANDBOX";

/// The server's core configuration: no sandbox unless asked for, no
/// desktop notifications, secrets in a file when no keyring is configured.
fn config() -> Config {
    let mut c = Config::from_env(PathBuf::from("/var/lib/cashdesk"));
    c.sandbox_when_unconfigured = var(SANDBOX).as_deref() == Some("1");
    c.notifications = false;
    if c.secrets_file.is_none() && var("CASHDESK_KEYCHAIN").as_deref() != Some("os") {
        // systemd's LoadCredential= puts it here; else the data folder.
        c.secrets_file = Some(match var("CREDENTIALS_DIRECTORY") {
            Some(dir) => PathBuf::from(dir).join("cashdesk-secrets"),
            None => c.data_dir.join("secrets.json"),
        });
    }
    c
}

fn team_config(data_dir: &std::path::Path) -> anyhow::Result<TeamServerConfig> {
    let tls = match (var("CASHDESK_TEAM_CERT"), var("CASHDESK_TEAM_KEY")) {
        (Some(cert), Some(key)) => TlsSource::Files {
            cert: cert.into(),
            key: key.into(),
        },
        (None, None) => TlsSource::SelfSigned {
            dir: data_dir.join("tls"),
            names: var("CASHDESK_TEAM_NAMES")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        },
        _ => anyhow::bail!("CASHDESK_TEAM_CERT and CASHDESK_TEAM_KEY go together"),
    };
    let hours: Option<u64> = var("CASHDESK_TEAM_SESSION_HOURS").and_then(|h| h.parse().ok());
    Ok(TeamServerConfig {
        addr: var("CASHDESK_TEAM_ADDR")
            .map(|a| a.parse())
            .transpose()?
            .unwrap_or_else(|| ([0, 0, 0, 0], 8651).into()),
        tls,
        session_ttl: hours
            .map(|h| Duration::from_secs(h * 3600))
            .unwrap_or(SESSION_TTL),
    })
}

fn first_admin(config: Config, args: &[String]) -> anyhow::Result<()> {
    use cashdesk_core::api::session::{SecretKind, create_first_admin};
    let name = args
        .first()
        .ok_or_else(|| anyhow::anyhow!("usage: cashdesk-server first-admin NAME [--pin]"))?;
    let kind = if args.iter().any(|a| a == "--pin") {
        SecretKind::Pin
    } else {
        SecretKind::Password
    };
    eprintln!(
        "The {}, then Enter:",
        if kind == SecretKind::Pin {
            "PIN"
        } else {
            "password"
        }
    );
    let mut secret = String::new();
    std::io::stdin().lock().read_line(&mut secret)?;
    let app = Cashdesk::open(config)?;
    create_first_admin(&app, name, kind, secret.trim_end_matches(['\r', '\n']))
        .map_err(|e| anyhow::anyhow!(e.message))?;
    println!("{name} is the desk's first admin");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    cashdesk_sandbox::logs::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = config();
    match args.first().map(String::as_str) {
        Some("first-admin") => return first_admin(config, &args[1..]),
        Some("fingerprint") => {
            let team = team_config(&config.data_dir)?;
            println!(
                "{}",
                cashdesk_core::team::certificate_fingerprint(&team.tls)?
            );
            return Ok(());
        }
        Some("verify-audit") => {
            let app = Cashdesk::open(config)?;
            let check =
                cashdesk_core::api::audit::check(&app).map_err(|e| anyhow::anyhow!(e.message))?;
            println!("{}", check.message);
            std::process::exit(if check.ok { 0 } else { 1 });
        }
        Some(other) => {
            anyhow::bail!("unknown command {other:?} (first-admin, fingerprint, verify-audit)")
        }
        None => {}
    }
    if config.database_url.is_none() {
        tracing::warn!(
            "no CASHDESK_DATABASE_URL: this server keeps the desk in SQLite and must be its only server"
        );
    }
    let team = team_config(&config.data_dir)?;
    // The sandbox starts only when asked for and no account is set up.
    let app = cashdesk_sandbox::start(config).await?;
    let info = cashdesk_core::team::serve(&app, team).await?;
    // Tests and scripts wait for this line.
    println!(
        "CASHDESK-SERVER-READY https://{} {}",
        info.addr, info.fingerprint
    );
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    app.shutdown().await;
    Ok(())
}
