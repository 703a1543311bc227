//! Runs the real app binary under tauri-driver (which drives WebKitWebDriver)
//! and hands out fantoccini sessions. Each `App` gets its own data folder
//! and the test keychain service, so nothing touches the user's own data.

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub fn app_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/cashdesk");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p cashdesk` (scripts/test.sh does)",
        bin.display()
    );
    bin.canonicalize().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Driver {
    child: Child,
    port: u16,
    /// The app's data folder: a failed session's app is found by it.
    data_dir: Option<std::path::PathBuf>,
    /// The binary each session starts.
    app: PathBuf,
}

impl Driver {
    /// Starts tauri-driver with `env` passed on to the app it launches.
    pub fn start(env: &[(&str, String)]) -> Driver {
        Driver::start_app(env, app_binary())
    }

    /// The same with another binary (the packaged app's, `package.rs`).
    pub fn start_app(env: &[(&str, String)], app: PathBuf) -> Driver {
        let (port, native) = (free_port(), free_port());
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .spawn()
            .expect("tauri-driver is installed by scripts/test.sh (cargo install tauri-driver@2.1.0 --locked)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "tauri-driver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let data_dir = env
            .iter()
            .find(|(k, _)| *k == "CASHDESK_DATA_DIR")
            .map(|(_, v)| std::path::PathBuf::from(v));
        Driver {
            child,
            port,
            data_dir,
            app,
        }
    }

    /// tauri-driver's WebDriver port (the benchmark opens its own sessions).
    #[allow(dead_code)]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Opens the app: a new process with the same data folder each time.
    pub async fn session(&self) -> Client {
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": self.app }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        // tauri-driver sometimes drops the first new-session request: try
        // again, after stopping any app that half-started for it (one app
        // per data folder, or the kill -9 step finds two).
        let mut last = None;
        for attempt in 1..=4 {
            // Plain HTTP on loopback: the WebDriver client needs no TLS stack.
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(c) => return c,
                Err(e) => {
                    eprintln!("WebDriver new session, attempt {attempt}: {e}");
                    last = Some(e);
                }
            }
            if let Some(dir) = &self.data_dir {
                for pid in app_pids(dir) {
                    let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                }
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        panic!("WebDriver session with the app: {last:?}")
    }
}

impl Drop for Driver {
    /// SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

pub fn css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// Waits for an element; WebKitWebDriver has no implicit waits we rely on.
pub async fn find(c: &Client, selector: &str) -> Element {
    c.wait()
        .at_most(Duration::from_secs(40))
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
}

pub async fn wait_text(c: &Client, selector: &str, want: &str, timeout: Duration) -> String {
    let start = Instant::now();
    loop {
        if let Some(t) = text_of(c, selector).await
            && t.contains(want)
        {
            return t;
        }
        if start.elapsed() > timeout {
            let got = text_of(c, selector)
                .await
                .unwrap_or_else(|| "<missing>".into());
            panic!("{selector} never showed {want:?}; it shows {got:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The element's text content (DOM), independent of layout.
pub async fn text_of(c: &Client, selector: &str) -> Option<String> {
    let v = c
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            vec![selector.into()],
        )
        .await
        .ok()?;
    v.as_str().map(str::to_owned)
}

pub async fn screenshot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    // WebKitGTK takes the picture at the next repaint; a page where
    // nothing changes (the supervisor's desk with the queue hidden) would
    // never repaint, and the screenshot would wait for ever. One pixel in
    // a corner changes shade for three seconds to give it that repaint.
    c.execute(REPAINT, vec![]).await.expect("repaint ticker");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    // The X server's view too: what a person would see on the screen.
    let _ = Command::new("import")
        .args(["-window", "root"])
        .arg(dir.join(format!("{name}-screen.png")))
        .status();
}

/// The app's process id, found by its data folder in the environment.
pub fn app_pids(data_dir: &Path) -> Vec<u32> {
    let mut pids = Vec::new();
    let needle = format!("CASHDESK_DATA_DIR={}", data_dir.display());
    let bin = app_binary();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let exe = std::fs::read_link(entry.path().join("exe")).unwrap_or_default();
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        if exe == bin && environ.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()) {
            pids.push(pid);
        }
    }
    pids
}

/// Makes a nearly invisible pixel change shade every 100 ms for 3 s.
const REPAINT: &str = r#"
    let d = document.getElementById('e2e-repaint');
    if (!d) {
        d = document.createElement('div');
        d.id = 'e2e-repaint';
        d.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
        document.body.appendChild(d);
    }
    let n = 0;
    const t = setInterval(() => {
        d.style.background = n % 2 ? 'rgba(0,0,0,0.02)' : 'rgba(0,0,0,0.03)';
        if (++n > 30) clearInterval(t);
    }, 100);
"#;
