//! The local server against hostile callers: a page in the agent's
//! browser (DNS rebinding: another `Host`), slow clients dribbling their
//! headers, more connections than the cap, an error of ours (its text is
//! not echoed), and a flood of forged Zimo-pagos notifications (the status
//! calls they cause stay bounded). Raw TCP where a polite client would
//! hide the point.

mod common;

use cashdesk_core::{Cashdesk, HEADER_READ_TIMEOUT, MAX_CONNECTIONS, api, intake};
use cashdesk_domain::{AccountId, ProviderKind, RequestKind, RequestStatus};
use cashdesk_sim::zimo_pagos::{RunningZimoPagos, ZimoPagosSim, ZimoPagosSimConfig};
use common::*;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn desk() -> (tempfile::TempDir, Cashdesk, SocketAddr) {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let addr = app.http_info().unwrap().addr;
    (dir, app, addr)
}

/// A desk with a Zimo-pagos account whose cashouts stay where they are.
async fn zimo_desk() -> (
    tempfile::TempDir,
    Cashdesk,
    SocketAddr,
    RunningZimoPagos,
    AccountId,
) {
    let (dir, app, addr) = desk().await;
    common::act_as(&app, "Rina");
    let sim = ZimoPagosSim::start(ZimoPagosSimConfig {
        deliver_after: Duration::from_secs(600),
        settle_after: Duration::from_secs(600),
        ..Default::default()
    })
    .await
    .unwrap();
    let account = add_zimo_account(&app, &sim, "Zimo MX");
    (dir, app, addr, sim, account)
}

fn cashout(account: AccountId, intake_ref: &str) -> intake::IntakeRequest {
    let mut req = intake_request(
        intake_ref,
        RequestKind::Withdrawal,
        ProviderKind::ZimoPagos,
        Some(account),
        ("clabe", "1500.50", "MXN"),
    );
    req.end_user_name = Some("María González".into());
    req.details = serde_json::json!({"country": "MX", "document_id": "GOGM800101MDFNNR09",
        "beneficiary_name": "María", "beneficiary_lastname": "González",
        "bank_account": "002010077777777771"});
    req
}

/// Sends `request` as written and returns the whole answer.
async fn raw(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("the server answers and closes")
        .unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether the server closes `s` within `within` (EOF or reset).
async fn closed(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 256];
    matches!(
        tokio::time::timeout(within, s.read(&mut buf)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_naming_another_host_is_refused() {
    let (_dir, app, addr) = desk().await;
    let token = app.http_info().unwrap().intake_token;
    let port = addr.port();
    // What a rebinding page sends: the right token is not even needed to
    // show it, but it must not help either.
    let rebinding = raw(
        addr,
        &format!(
            "GET /intake/v1/requests/x HTTP/1.1\r\nHost: evil.example:{port}\r\n\
             Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert!(rebinding.starts_with("HTTP/1.1 421"), "{rebinding}");
    let no_host = raw(addr, "GET /intake/v1/openapi.json HTTP/1.0\r\n\r\n").await;
    assert!(no_host.starts_with("HTTP/1.0 421"), "{no_host}");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let ours = raw(
            addr,
            &format!(
                "GET /intake/v1/openapi.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ),
        )
        .await;
        assert!(ours.starts_with("HTTP/1.1 200"), "{host}: {ours}");
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_clients_are_cut_off_and_a_normal_request_is_answered_meanwhile() {
    let (_dir, app, addr) = desk().await;
    // Headers that take 12 s to send, a byte every 100 ms.
    let header = format!(
        "GET /intake/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Pad: {}\r\n\r\n",
        addr.port(),
        "a".repeat(70)
    );
    assert!(header.len() as u64 * 100 > HEADER_READ_TIMEOUT.as_millis() as u64 * 2);
    let mut slow = Vec::new();
    for _ in 0..100 {
        let header = header.clone();
        slow.push(tokio::spawn(async move {
            let s = TcpStream::connect(addr).await.unwrap();
            let (mut rd, mut wr) = s.into_split();
            let start = Instant::now();
            let dribble = async {
                for b in header.bytes() {
                    if wr.write_all(&[b]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                std::future::pending::<()>().await;
            };
            let mut buf = [0u8; 512];
            tokio::select! {
                _ = dribble => unreachable!(),
                _ = rd.read(&mut buf) => start.elapsed(),
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answered = reqwest::Client::new()
        .get(format!("http://{addr}/intake/v1/openapi.json"))
        .timeout(HEADER_READ_TIMEOUT)
        .send()
        .await
        .expect("answered while 100 clients dribble");
    assert_eq!(answered.status(), 200);
    let full = Duration::from_millis(header.len() as u64 * 100);
    for s in slow {
        let cut_after = s.await.unwrap();
        assert!(
            cut_after < full,
            "a slow client was cut off before it finished ({cut_after:?} of {full:?})"
        );
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_past_the_cap_are_closed_and_idle_ones_expire() {
    let (_dir, app, addr) = desk().await;
    let mut idle = Vec::new();
    for _ in 0..MAX_CONNECTIONS {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut one_more = TcpStream::connect(addr).await.unwrap();
    assert!(
        closed(&mut one_more, Duration::from_secs(2)).await,
        "past {MAX_CONNECTIONS} open connections, another is closed at once"
    );
    // Silent connections are closed by the header deadline, freeing slots.
    for s in &mut idle {
        assert!(
            closed(s, HEADER_READ_TIMEOUT * 3).await,
            "an idle connection expires"
        );
    }
    let answered = reqwest::get(format!("http://{addr}/intake/v1/openapi.json"))
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_of_ours_is_not_echoed_to_the_caller() {
    let (dir, app, addr, _sim, account) = zimo_desk().await;
    let token = app.http_info().unwrap().intake_token;
    let side = rusqlite::Connection::open(dir.path().join("cashdesk.db")).unwrap();
    side.execute_batch(
        "CREATE TRIGGER fails BEFORE INSERT ON requests
         BEGIN SELECT RAISE(ABORT, 'internal detail /var/lib/secret-path'); END;",
    )
    .unwrap();
    let body = cashout(account, "leak-1");
    let answer = reqwest::Client::new()
        .post(format!("http://{addr}/intake/v1/requests"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap();
    assert!(status >= 500, "{status}: {text}");
    assert!(
        !text.contains("secret-path") && !text.contains("internal detail"),
        "{text}"
    );
    assert!(text.contains("reference"), "a reference to quote: {text}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_zimo_notifications_cost_a_bounded_number_of_status_calls() {
    let (_dir, app, addr, sim, account) = zimo_desk().await;
    let rec = intake::submit(&app, &cashout(account, "flood-1"))
        .unwrap()
        .0;
    api::requests::approve(&app, rec.id).unwrap();
    wait_status(&app, rec.id, RequestStatus::AwaitingProvider).await;
    let before = sim.status_calls();

    let url = format!("http://{addr}/notifications/zimo-pagos/{account}");
    let http = reqwest::Client::new();
    let forge = |external_id: String| {
        http.post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "cashout_id=1&external_id={external_id}&date=2026-12-05+10%3A00%3A00&control=X"
            ))
            .send()
    };
    for n in 0..200 {
        assert!(
            forge(format!("not-ours-{n}"))
                .await
                .unwrap()
                .status()
                .is_success()
        );
    }
    assert_eq!(
        sim.status_calls(),
        before,
        "an id that is not ours costs no call"
    );
    for _ in 0..200 {
        assert!(
            forge(rec.merchant_ref.0.clone())
                .await
                .unwrap()
                .status()
                .is_success()
        );
    }
    let caused = sim.status_calls() - before;
    assert!(
        (1..=10).contains(&caused),
        "200 notifications naming our cashout caused {caused} status calls"
    );
    app.shutdown().await;
}
