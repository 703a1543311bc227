//! Sandbox mode for Paykassma: the simulator on loopback posting its
//! postbacks to this desk, and simulated customers (Bangladesh: bKash,
//! Nagad, Rocket in BDT) pushing deposits with a TrxID and withdrawals to
//! their own wallet through the intake endpoint, as an operator's platform
//! would. Paykassma has no "list new requests" call, so this is the only
//! way new requests appear.

use cashdesk_core::error::{CoreError, CoreResult};
use cashdesk_core::intake::IntakeRequest;
use cashdesk_core::providers::paykassma::{self as pk, Settings};
use cashdesk_core::{Cashdesk, HttpInfo};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestKind};
use cashdesk_secrets::Secret;
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig, RunningPaykassma};
use cashdesk_store::NewAccount;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

pub(crate) async fn start(app: &Cashdesk, http: &HttpInfo) -> CoreResult<RunningPaykassma> {
    let account = AccountId::new();
    let sim = PaykassmaSim::start(PaykassmaSimConfig {
        secret: hex::encode(rand::random::<[u8; 16]>()),
        private_key: hex::encode(rand::random::<[u8; 16]>()),
        postback_url: Some(format!(
            "http://{}/postbacks/paykassma/{account}",
            http.addr
        )),
        settle_after: app.config().sandbox_settle_after,
        ..Default::default()
    })
    .await
    .map_err(|e| CoreError::Sandbox(e.to_string()))?;
    app.store().add_account(
        account,
        &NewAccount {
            provider: ProviderKind::Paykassma,
            name: "Paykassma (sandbox)".into(),
            base_url: sim.base_url(),
            secret_names: vec![],
            config: serde_json::to_value(Settings::default()).unwrap_or_default(),
            sandbox: true,
        },
        &Actor::System,
    )?;
    app.remember_secret_for_run(account, pk::SECRET, Secret::new(sim.secret().to_owned()));
    app.remember_secret_for_run(
        account,
        pk::PRIVATE_KEY,
        Secret::new(sim.private_key().to_owned()),
    );
    Ok(sim)
}

/// (end_user_ref = Paykassma label, name). The simulator rejects
/// withdrawals whose label starts with "REJECT".
const CUSTOMERS: &[(&str, &str)] = &[
    ("bd_rahim", "Rahim Uddin"),
    ("bd_ayesha", "Ayesha Khatun"),
    ("bd_tanvir", "Tanvir Hasan"),
    ("bd_nusrat", "Nusrat Jahan"),
    ("REJECT-bd_karim", "Karim Sheikh"),
];

pub(crate) async fn customers(intake: String, token: String, interval: Duration) {
    let http = reqwest::Client::new();
    let mut rng = StdRng::from_os_rng();
    for n in 0u64.. {
        tokio::time::sleep(if n < 4 {
            Duration::from_millis(300)
        } else {
            interval
        })
        .await;
        let (user, name) = CUSTOMERS[rng.random_range(0..CUSTOMERS.len())];
        let deposit = n % 2 == 0;
        let req = if deposit {
            deposit_request(n, user, name, &mut rng)
        } else {
            withdrawal_request(n, user, name, &mut rng)
        };
        if let Err(e) = http
            .post(&intake)
            .bearer_auth(&token)
            .json(&req)
            .send()
            .await
            .and_then(|r| r.error_for_status())
        {
            tracing::warn!("sandbox Paykassma intake: {e}");
        }
    }
}

fn base(n: u64, kind: RequestKind, method: &str, user: &str, name: &str) -> IntakeRequest {
    IntakeRequest {
        intake_ref: crate::intake_ref("pk", n),
        kind,
        provider: ProviderKind::Paykassma,
        account_id: None,
        method: method.into(),
        amount: String::new(),
        currency: "BDT".into(),
        end_user_ref: user.into(),
        end_user_name: Some(name.into()),
        provider_user_id: None,
        trx_id: None,
        sender: None,
        agent_number: None,
        destination: None,
        details: serde_json::json!({}),
        screenshot: None,
    }
}

/// The customer paid a bKash or Nagad agent wallet and gives the TrxID
/// (8–10 characters). A few TrxIDs are fake (the payment fails) or
/// suspicious (Paykassma starts a check).
pub(crate) fn deposit_request(n: u64, user: &str, name: &str, rng: &mut StdRng) -> IntakeRequest {
    // Every fourth deposit (the first among them) goes to the manual
    // system, so a desk trying the sandbox meets one within seconds.
    if (n / 2).is_multiple_of(4) {
        return manual_deposit(n, user, name, rng);
    }
    let method = if rng.random_bool(0.6) {
        "bkash"
    } else {
        "nagad"
    };
    let mut req = base(n, RequestKind::Deposit, method, user, name);
    // Above the wallets' minimum deposit (200 BDT), so each is credited.
    req.amount = (rng.random_range(4..60) * 50).to_string();
    let prefix = match rng.random_range(0..10) {
        0 => "FAKE",
        1 => "SUSPECT",
        _ => "TRX",
    };
    req.trx_id = Some(format!("{prefix}{}", code(rng, 10 - prefix.len())));
    req.sender = Some(mobile(rng));
    req
}

/// A bank transfer to the IMPS manual payment system: the customer gives
/// the 12-digit UTR and a screenshot of the payment, which go to Paykassma
/// as a possible transaction when the agent approves.
fn manual_deposit(n: u64, user: &str, name: &str, rng: &mut StdRng) -> IntakeRequest {
    use base64::Engine;
    let mut req = base(n, RequestKind::Deposit, "imps", user, name);
    req.currency = "INR".into();
    req.amount = (rng.random_range(6..80) * 100).to_string();
    let utr: String = (0..12)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    req.trx_id = Some(utr);
    req.screenshot = Some(cashdesk_core::intake::IntakeScreenshot {
        file_name: format!("imps-receipt-{n}.png"),
        content_type: "image/png".into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(RECEIPT_PNG),
    });
    req
}

/// A made-up bank receipt, shown as the sandbox customers' screenshot.
const RECEIPT_PNG: &[u8] = include_bytes!("../assets/sandbox-receipt.png");

/// A withdrawal to the customer's own wallet, with the fields Paykassma
/// requires per payment system (bKash also wants an e-mail).
pub(crate) fn withdrawal_request(
    n: u64,
    user: &str,
    name: &str,
    rng: &mut StdRng,
) -> IntakeRequest {
    let method = ["bkash", "nagad", "rocket"][rng.random_range(0..3)];
    let mut req = base(n, RequestKind::Withdrawal, method, user, name);
    req.amount = (rng.random_range(2..40) * 50).to_string();
    let number = mobile(rng);
    req.destination = Some(number.clone());
    let mut details = serde_json::json!({ "account_number": number, "account_name": name });
    if method == "bkash" {
        details["account_email"] = format!("{}@example.com", user.to_lowercase()).into();
    }
    req.details = details;
    req
}

/// A Bangladeshi mobile wallet number: "01" and 9 digits.
fn mobile(rng: &mut StdRng) -> String {
    format!(
        "01{}{:08}",
        rng.random_range(3..10),
        rng.random_range(0..100_000_000u64)
    )
}

fn code(rng: &mut StdRng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cashdesk_paykassma::Rules;

    #[test]
    fn generated_withdrawals_pass_the_adapters_masks() {
        let rules = Rules::default();
        let mut rng = StdRng::seed_from_u64(7);
        for n in 0..200 {
            let r = withdrawal_request(n, "bd_x", "X", &mut rng);
            let rule = &rules.withdrawals[&r.method];
            let number = r.details["account_number"].as_str().unwrap();
            let mask = rule.account_number.as_ref().unwrap();
            assert!(mask.check("account_number", number).is_ok(), "{number}");
            let d = deposit_request(n, "bd_x", "X", &mut rng);
            let len = d.trx_id.unwrap().len();
            if d.method == "imps" {
                // UTR of the manual system, with the customer's screenshot
                assert_eq!(len, 12);
                assert!(d.screenshot.unwrap().decode().is_ok());
            } else {
                assert!((8..=10).contains(&len));
            }
        }
    }
}
