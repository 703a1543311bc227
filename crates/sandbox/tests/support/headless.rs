//! The real core process (cashdesk-headless) for crash tests: started on
//! a data folder and a fixed port, optionally frozen at a pause point, and
//! killed with SIGKILL.

#![allow(dead_code)]

use crate::common::{KEYCHAIN_SERVICE, wait_for};
use cashdesk_domain::{RequestId, RequestStatus};
use cashdesk_store::Store;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Headless(Child);

fn command(dir: &Path, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cashdesk-headless"));
    cmd.env("CASHDESK_DATA_DIR", dir)
        .env("CASHDESK_KEYCHAIN_SERVICE", KEYCHAIN_SERVICE)
        .env("CASHDESK_HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("CASHDESK_SANDBOX", "off")
        .env("CASHDESK_NOTIFICATIONS", "off")
        .env("RUST_LOG", "warn")
        .env("CASHDESK_POLL_INTERVAL_MS", "300")
        .env_remove("CASHDESK_PAUSE_AT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

impl Headless {
    /// Runs the core on `dir` expecting it to refuse to start; returns
    /// what it printed (panics if it is still running after 20 s).
    pub fn refused(dir: &Path, port: u16) -> String {
        let mut child = command(dir, port).spawn().expect("start cashdesk-headless");
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("cashdesk-headless started although it should have refused");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        assert!(!out.status.success(), "refusing is a failure exit");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Starts the core and waits until it is ready or paused at `pause`.
    pub fn start(dir: &Path, port: u16, pause: Option<&str>) -> Headless {
        Headless::start_with(dir, port, pause, &[])
    }

    /// The same with more environment (a team desk's database, say).
    pub fn start_with(
        dir: &Path,
        port: u16,
        pause: Option<&str>,
        env: &[(&str, String)],
    ) -> Headless {
        let mut cmd = command(dir, port);
        cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        if let Some(p) = pause {
            cmd.env("CASHDESK_PAUSE_AT", p);
        }
        let mut child = cmd.spawn().expect("start cashdesk-headless");
        let marker = if pause.is_some() {
            "CASHDESK-PAUSED-AT"
        } else {
            "CASHDESK-READY"
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for stream in [
            Box::new(out) as Box<dyn std::io::Read + Send>,
            Box::new(err),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        // Only the reader threads hold senders now: when the process exits,
        // the channel closes and what it printed is shown.
        drop(tx);
        let mut seen = Vec::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(line) if line.contains(marker) => break,
                Ok(line) => seen.push(line),
                Err(e) => {
                    let _ = child.kill();
                    let status = child.wait().ok();
                    panic!(
                        "headless did not reach {marker} ({e}; exit {status:?}); it printed:\n{}",
                        seen.join("\n")
                    );
                }
            }
        }
        Headless(child)
    }

    pub fn kill9(mut self) {
        self.0.kill().unwrap(); // SIGKILL
        self.0.wait().unwrap();
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn status(dir: &Path, id: RequestId) -> RequestStatus {
    Store::open(&dir.join("cashdesk.db"))
        .unwrap()
        .get_request(id)
        .unwrap()
        .status
}

pub fn wait_status_on_disk(dir: &Path, id: RequestId, want: RequestStatus) {
    wait_for(&format!("{want:?}"), Duration::from_secs(30), || {
        (status(dir, id) == want).then_some(())
    });
}

pub fn integrity_ok(dir: &Path) {
    let store = Store::open(&dir.join("cashdesk.db")).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    store
        .verify_audit()
        .expect("audit chain intact after a crash");
}

/// Where a random crash test kills a process: frozen at a pause point, or
/// after a random delay.
#[derive(Debug, Clone, Copy)]
pub enum Kill {
    Paused(&'static str),
    After(Duration),
}

/// One of the kills, at random (the pause points 3 in 5).
pub fn pick(rng: &mut rand::rngs::StdRng) -> Kill {
    use rand::Rng;
    match rng.random_range(0..5) {
        0 => Kill::Paused("before_claim"),
        1 => Kill::Paused("after_claim"),
        2 => Kill::Paused("after_send"),
        _ => Kill::After(Duration::from_millis(rng.random_range(0..400))),
    }
}

/// A number from the environment (a run count), or `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The seed of a random crash run: `CASHDESK_CRASH_SEED` replays a
/// printed one, else a new one.
pub fn crash_seed() -> u64 {
    std::env::var("CASHDESK_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random::<u64>)
}
