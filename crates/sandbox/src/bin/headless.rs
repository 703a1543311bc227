//! Cashdesk's core without a window: the same store, outbox worker, local
//! server and sandbox mode as the desktop app (`CASHDESK_SANDBOX=off`
//! leaves the sandbox out). Used by the crash tests (which kill it with
//! SIGKILL mid-submission) and for running a desk server.
//! `cashdesk-headless verify-audit` checks the audit log and exits 0 or 1.

use cashdesk_core::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    cashdesk_sandbox::logs::init();
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    let config = Config::from_env(base.join("cashdesk-headless"));
    // `cashdesk-headless verify-audit`: checks the audit log and exits
    // 0 (intact) or 1 (not), for scripts.
    if std::env::args().nth(1).as_deref() == Some("verify-audit") {
        let app = cashdesk_core::Cashdesk::open(config)?;
        let check =
            cashdesk_core::api::audit::check(&app).map_err(|e| anyhow::anyhow!(e.message))?;
        println!("{}", check.message);
        std::process::exit(if check.ok { 0 } else { 1 });
    }
    let app = cashdesk_sandbox::start(config).await?;
    if let Some(http) = app.http_info() {
        println!("CASHDESK-READY http://{}", http.addr);
    }
    tokio::signal::ctrl_c().await?;
    app.shutdown().await;
    Ok(())
}
