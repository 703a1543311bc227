//! `cashdesk-sim`: runs the provider simulators for demos and end-to-end tests.
//!
//! The first line on stdout is `listening on http://127.0.0.1:PORT` (the
//! Zexabit simulator), so a script can start it with `--port 0` and read
//! where it went. `--all` also starts Paykassma, Zimo-pagos and CashWeb on
//! free ports, one `NAME listening on URL` line each, with their default
//! (sandbox) credentials.

use cashdesk_sim::{ZexabitSim, ZexabitSimConfig};
use rust_decimal::Decimal;
use std::io::Write;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

const USAGE: &str = "usage: cashdesk-sim [--all] [--port N] [--api-key KEY] [--webhook-secret SECRET] \
[--callback-url URL] [--settle-after-ms N] [--initial-balance AMOUNT]\n\
(the other flags configure the Zexabit simulator)";

#[derive(Debug)]
struct Options {
    zexabit: ZexabitSimConfig,
    all: bool,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut config = ZexabitSimConfig::default();
    let mut all = false;
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        if flag == "--all" {
            all = true;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = |what: &str| {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag} takes {what}, got \"{value}\""))
        };
        match flag.as_str() {
            "--port" => {
                config.port = u16::try_from(number("a port number")?)
                    .map_err(|_| format!("--port must be at most 65535, got {value}"))?;
            }
            "--api-key" => config.api_key = value,
            "--webhook-secret" => config.webhook_secret = value,
            "--callback-url" => config.callback_url = Some(value),
            "--settle-after-ms" => {
                config.settle_after = Duration::from_millis(number("milliseconds")?);
            }
            "--initial-balance" => {
                config.initial_balance = Decimal::from_str(&value)
                    .map_err(|_| format!("--initial-balance takes an amount, got \"{value}\""))?;
            }
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
    }
    Ok(Options {
        zexabit: config,
        all,
    })
}

/// The other three simulators, kept alive until the process ends.
async fn start_others() -> std::io::Result<(
    cashdesk_sim::paykassma::RunningPaykassma,
    cashdesk_sim::zimo_pagos::RunningZimoPagos,
    cashdesk_sim::cashweb::RunningCashWeb,
)> {
    use cashdesk_sim::{cashweb, paykassma, zimo_pagos};
    let pk = paykassma::PaykassmaSim::start(paykassma::PaykassmaSimConfig::default()).await?;
    println!(
        "paykassma listening on {} (secret {})",
        pk.base_url(),
        pk.secret()
    );
    let zp = zimo_pagos::ZimoPagosSim::start(zimo_pagos::ZimoPagosSimConfig::default()).await?;
    println!(
        "zimo-pagos listening on {} (cards on {}, login {})",
        zp.base_url(),
        zp.card_base_url(),
        zp.login()
    );
    let cw = cashweb::CashWebSim::start(cashweb::CashWebSimConfig::default()).await?;
    println!(
        "cashweb listening on {} (key {})",
        cw.base_url(),
        cw.api_key()
    );
    Ok((pk, zp, cw))
}

async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let sim = match ZexabitSim::start(options.zexabit).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cashdesk-sim: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", sim.base_url());
    let others = if options.all {
        match start_others().await {
            Ok(o) => Some(o),
            Err(e) => {
                eprintln!("cashdesk-sim: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let _ = std::io::stdout().flush();
    terminated().await;
    drop(others);
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn flags_set_the_config() {
        let c = parse(args(&[
            "--all",
            "--port",
            "8181",
            "--api-key",
            "k",
            "--webhook-secret",
            "s",
            "--callback-url",
            "http://127.0.0.1:9/hook",
            "--settle-after-ms",
            "250",
            "--initial-balance",
            "1000.50",
        ]))
        .unwrap();
        assert!(c.all);
        let c = c.zexabit;
        assert_eq!(c.port, 8181);
        assert_eq!(c.api_key, "k");
        assert_eq!(c.webhook_secret, "s");
        assert_eq!(c.callback_url.as_deref(), Some("http://127.0.0.1:9/hook"));
        assert_eq!(c.settle_after, Duration::from_millis(250));
        assert_eq!(c.initial_balance.to_string(), "1000.50");
    }

    #[test]
    fn bad_flags_are_refused_with_usage() {
        assert!(
            parse(args(&["--port"]))
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(parse(args(&["--port", "70000"])).is_err());
        assert!(
            parse(args(&["--bogus", "1"]))
                .unwrap_err()
                .contains("usage")
        );
    }
}
