//! One log set-up for every Cashdesk process (the desktop app, the desk
//! server, the headless core): `RUST_LOG` filters (default `info`), and the
//! lines go to `CASHDESK_LOG_FILE` when set (a desktop started from a menu
//! or by WebDriver has no terminal), else to standard error.

/// Starts logging; call once, first thing in `main`.
pub fn init() {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr);
    match std::env::var_os("CASHDESK_LOG_FILE").map(std::fs::File::create) {
        Some(Ok(file)) => logs
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .init(),
        Some(Err(e)) => {
            logs.init();
            tracing::warn!("CASHDESK_LOG_FILE could not be opened ({e}): logging to stderr");
        }
        None => logs.init(),
    }
}
