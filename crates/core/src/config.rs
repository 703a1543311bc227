//! Run-time configuration, from the environment so tests and the desktop
//! shell start the same core with their own data folder and keychain name.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The shortest server beat taken (`CASHDESK_SERVER_BEAT_MS`).
pub const MIN_SERVER_BEAT: Duration = Duration::from_millis(100);

/// A point in the submission path where a crash test freezes the process
/// (then kills it with SIGKILL). Never set in normal use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PausePoint {
    /// The approval is committed; the worker has not claimed it.
    BeforeClaim,
    /// Claimed (durably "sending"); nothing sent yet.
    AfterClaim,
    /// Sent and answered; the answer is not recorded yet.
    AfterSend,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// A team desk's PostgreSQL (`postgres://…`); `None` keeps the desk's
    /// data in the SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Keychain service name; tests use their own so they never touch the app's entries.
    pub keychain_service: String,
    /// Secrets in this file (mode 0600) instead of the OS keychain: a
    /// headless desk server's (`CASHDESK_SECRETS_FILE`).
    pub secrets_file: Option<PathBuf>,
    /// Local webhook/intake server; loopback by default.
    pub http_addr: SocketAddr,
    /// Host names the local server answers to besides its loopback names
    /// and bound address (`host` for any port, or `host:port`): the public
    /// name a tunnel or reverse proxy passes on. Others are refused.
    pub http_hosts: Vec<String>,
    /// Run the built-in simulators when no provider account is configured.
    pub sandbox_when_unconfigured: bool,
    /// How often a simulated customer shows up in sandbox mode.
    pub sandbox_interval: Duration,
    /// Simulated provider settle delay in sandbox mode.
    pub sandbox_settle_after: Duration,
    pub notifications: bool,
    pub pause_at: Option<PausePoint>,
    /// How often requests awaiting a provider are asked about (covers
    /// missed push events). Short only in tests.
    pub poll_interval: Duration,
    /// How often an offline (or not yet checked) account is probed; online
    /// ones six times less often.
    pub probe_interval: Duration,
    /// How often a team desk server beats (`servers.rs`); short only in
    /// tests. The others take its calls over after 18 silent beats, and it
    /// claims nothing new after 6 it could not write.
    pub server_beat: Duration,
}

impl Config {
    /// Defaults with `CASHDESK_*` overrides (see README, "Configuration").
    pub fn from_env(default_data_dir: PathBuf) -> Config {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let ms = |k: &str, d: u64| {
            Duration::from_millis(var(k).and_then(|v| v.parse().ok()).unwrap_or(d))
        };
        Config {
            data_dir: var("CASHDESK_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or(default_data_dir),
            database_url: var("CASHDESK_DATABASE_URL"),
            keychain_service: var("CASHDESK_KEYCHAIN_SERVICE")
                .unwrap_or_else(|| cashdesk_secrets::Keychain::APP_SERVICE.to_owned()),
            secrets_file: var("CASHDESK_SECRETS_FILE").map(PathBuf::from),
            http_addr: var("CASHDESK_HTTP_ADDR")
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| ([127, 0, 0, 1], 0).into()),
            http_hosts: var("CASHDESK_HTTP_HOSTS")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            sandbox_when_unconfigured: var("CASHDESK_SANDBOX").as_deref() != Some("off"),
            sandbox_interval: ms("CASHDESK_SANDBOX_INTERVAL_MS", 8000),
            sandbox_settle_after: ms("CASHDESK_SANDBOX_SETTLE_MS", 4000),
            notifications: var("CASHDESK_NOTIFICATIONS").as_deref() != Some("off"),
            pause_at: match var("CASHDESK_PAUSE_AT").as_deref() {
                Some("before_claim") => Some(PausePoint::BeforeClaim),
                Some("after_claim") => Some(PausePoint::AfterClaim),
                Some("after_send") => Some(PausePoint::AfterSend),
                _ => None,
            },
            poll_interval: ms("CASHDESK_POLL_INTERVAL_MS", 15_000),
            probe_interval: ms("CASHDESK_PROBE_INTERVAL_MS", 10_000),
            // A floor: a zero beat would stop the beat task, and every
            // server of one desk must beat alike (README, team desk).
            server_beat: ms("CASHDESK_SERVER_BEAT_MS", 5_000).max(MIN_SERVER_BEAT),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("cashdesk.db")
    }
}

/// Freezes the process at `point` when a crash test asked for it, after
/// saying so on stderr; the test then kills it with SIGKILL.
pub(crate) async fn pause_if(config: &Config, point: PausePoint) {
    if config.pause_at == Some(point) {
        eprintln!("CASHDESK-PAUSED-AT {point:?}");
        std::future::pending::<()>().await;
    }
}
