//! The `cashdesk-sim` binary announces where it listens, serves, and exits
//! cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn the_binary_prints_its_url_first_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashdesk-sim"))
        .args([
            "--port",
            "0",
            "--api-key",
            "cli-key",
            "--settle-after-ms",
            "50",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let r = reqwest::Client::new()
        .get(format!("{url}/partner/payment-methods"))
        .bearer_auth("cli-key")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    panic!("the simulator did not stop within 5 s of SIGTERM");
}

#[tokio::test]
async fn with_all_it_serves_every_provider() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashdesk-sim"))
        .args(["--all", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(lines.next().unwrap().unwrap());
    }
    let _ = child.kill();
    let _ = child.wait();
    for name in [
        "listening on http://127.0.0.1:",
        "paykassma listening on http://127.0.0.1:",
        "zimo-pagos listening on http://127.0.0.1:",
        "cashweb listening on http://127.0.0.1:",
    ] {
        assert!(
            seen.iter().any(|l| l.starts_with(name)),
            "{name} missing in {seen:?}"
        );
    }
}
