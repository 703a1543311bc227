//! Soak: signed provider pushes at 50 per second into the real local
//! server while the poller asks the provider about the same requests.
//! Every push carries a real Paykassma deposit postback (as the simulator
//! issued it, signed with the account's key); a fifth are delivered twice.
//! Zero lost (every deposit completed), zero duplicated (one completion
//! each, redeliveries acknowledged as already handled).
//!
//! Duration: `CASHDESK_SOAK_SECS` (default 3 in CI; e.g. 600 on demand).

mod common;

use cashdesk_core::api;
use cashdesk_core::intake;
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use cashdesk_paykassma::{PrivateKey, postback};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use common::*;
use std::time::{Duration, Instant};

const PER_SECOND: u64 = 50;

fn secs() -> u64 {
    std::env::var("CASHDESK_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_signed_postbacks_a_second_none_lost_none_doubled() {
    let n = (secs() * PER_SECOND) as usize;
    let dir = tempfile::tempdir().unwrap();
    // The simulator records the postbacks it would send; the test sends them.
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        settle_after: Duration::from_millis(50),
        ..Default::default()
    })
    .await
    .unwrap();
    let app = Cashdesk::start(Config {
        poll_interval: Duration::from_millis(700),
        ..config(dir.path())
    })
    .await
    .unwrap();
    common::act_as(&app, "Rina");
    let account = add_paykassma_account(&app, &sim, "Paykassma");
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let mut req = intake_request(
            &format!("soak-{i}"),
            RequestKind::Deposit,
            ProviderKind::Paykassma,
            Some(account),
            ("bkash", "500", "BDT"),
        );
        req.end_user_ref = format!("bd_{i}");
        req.trx_id = Some(format!("TRX{i:07}"));
        let (rec, _) = intake::submit(&app, &req).unwrap();
        api::requests::approve(&app, rec.id).unwrap();
        ids.push(rec.id);
    }
    let postbacks = wait_for(
        "the simulator to settle every deposit",
        Duration::from_secs(120),
        || {
            let p = sim.postbacks();
            (p.len() >= n).then_some(p)
        },
    );
    let key = PrivateKey::new(sim.private_key());
    let url = format!(
        "http://{}/postbacks/paykassma/{account}",
        app.http_info().unwrap().addr
    );
    let http = reqwest::Client::new();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / PER_SECOND));
    let started = Instant::now();
    let mut sends = Vec::new();
    for (i, p) in postbacks.iter().enumerate() {
        let body = postback::signed_body(&key, p);
        let copies = if i % 5 == 0 { 2 } else { 1 };
        for _ in 0..copies {
            tick.tick().await;
            let req = http.post(&url).json(&body).send();
            sends.push(tokio::spawn(async move {
                let r = req.await.expect("the local server answers");
                (r.status().as_u16(), r.text().await.unwrap_or_default())
            }));
        }
    }
    let sent = sends.len();
    let elapsed = started.elapsed();
    let mut redeliveries = 0;
    for s in sends {
        let (status, text) = s.await.unwrap();
        assert_eq!(status, 200, "{text}");
        if text.contains("already handled") {
            redeliveries += 1;
        }
    }
    for id in &ids {
        let d = wait_status(&app, *id, RequestStatus::Completed).await;
        let completions = d
            .history
            .iter()
            .filter(|h| h.to == RequestStatus::Completed)
            .count();
        assert_eq!(completions, 1, "completed once: {:?}", d.history);
    }
    assert!(
        redeliveries >= n / 5,
        "redeliveries acknowledged as handled: {redeliveries}"
    );
    eprintln!(
        "soak: {sent} postbacks in {elapsed:.1?} ({:.0}/s), {n} deposits completed once each, {redeliveries} redeliveries recognised",
        sent as f64 / elapsed.as_secs_f64()
    );
    app.shutdown().await;
}
