//! Sandbox mode for Zimo-pagos: the simulator on loopback and simulated
//! beneficiaries asking for cashouts (Mexico: CLABE transfers and debit
//! cards) through the intake endpoint, like an operator's platform would.

use cashdesk_core::error::{CoreError, CoreResult};
use cashdesk_core::intake::IntakeRequest;
use cashdesk_core::providers::zimo_pagos::{self as zp, Settings};
use cashdesk_core::{Cashdesk, HttpInfo};
use cashdesk_domain::{AccountId, Actor, ProviderKind, RequestKind};
use cashdesk_secrets::Secret;
use cashdesk_sim::zimo_pagos::{RunningZimoPagos, ZimoPagosSim, ZimoPagosSimConfig};
use cashdesk_store::NewAccount;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

pub(crate) async fn start(app: &Cashdesk, http: &HttpInfo) -> CoreResult<RunningZimoPagos> {
    let account = AccountId::new();
    let sim = ZimoPagosSim::start(ZimoPagosSimConfig {
        login: hex::encode(rand::random::<[u8; 8]>()),
        pass: hex::encode(rand::random::<[u8; 8]>()),
        signing_secret: hex::encode(rand::random::<[u8; 16]>()),
        deliver_after: app.config().sandbox_settle_after / 2,
        settle_after: app.config().sandbox_settle_after,
        ..Default::default()
    })
    .await
    .map_err(|e| CoreError::Sandbox(e.to_string()))?;
    let settings = Settings {
        notification_url: format!("http://{}/notifications/zimo-pagos/{account}", http.addr),
        card_base_url: Some(sim.card_base_url()),
        allow_http_loopback_notification_url: true,
    };
    app.store().add_account(
        account,
        &NewAccount {
            provider: ProviderKind::ZimoPagos,
            name: "Zimo-pagos (sandbox)".into(),
            base_url: sim.base_url(),
            secret_names: vec![],
            config: serde_json::to_value(&settings).unwrap_or_default(),
            sandbox: true,
        },
        &Actor::System,
    )?;
    app.remember_secret_for_run(account, zp::LOGIN, Secret::new(sim.login()));
    app.remember_secret_for_run(account, zp::PASS, Secret::new(sim.pass()));
    app.remember_secret_for_run(
        account,
        zp::SIGNING_SECRET,
        Secret::new(String::from_utf8_lossy(sim.signing_secret()).into_owned()),
    );
    Ok(sim)
}

const BENEFICIARIES: &[(&str, &str, &str)] = &[
    ("María", "González", "GOGM800101MDFNNR09"),
    ("José", "Hernández", "HEHJ850615HJCRRS04"),
    ("Lucía", "Martínez", "MARL920304MNLRTC02"),
    ("Carlos", "López", "LOLC780912HDFPRR07"),
    // The simulated bank rejects this beneficiary (document starts with REJECT).
    ("Pedro", "Ramírez", "REJECT-RAPP700101"),
];

pub(crate) async fn customers(intake: String, token: String, interval: Duration) {
    let http = reqwest::Client::new();
    let mut rng = StdRng::from_os_rng();
    for n in 0u64.. {
        tokio::time::sleep(if n < 2 {
            Duration::from_millis(400)
        } else {
            interval
        })
        .await;
        let (name, last, doc) = BENEFICIARIES[rng.random_range(0..BENEFICIARIES.len())];
        let card = rng.random_bool(0.3);
        let account = if card {
            card_number(&mut rng)
        } else {
            clabe(&mut rng)
        };
        let req = IntakeRequest {
            intake_ref: crate::intake_ref("zp", n),
            kind: RequestKind::Withdrawal,
            provider: ProviderKind::ZimoPagos,
            account_id: None,
            method: if card {
                "debit_card".into()
            } else {
                "clabe".into()
            },
            amount: format!(
                "{}.{:02}",
                rng.random_range(200..9000),
                rng.random_range(0..100)
            ),
            currency: "MXN".into(),
            end_user_ref: format!("mx_{}", doc.to_lowercase()),
            end_user_name: Some(format!("{name} {last}")),
            provider_user_id: None,
            trx_id: None,
            sender: None,
            agent_number: None,
            destination: Some(account.clone()),
            details: serde_json::json!({
                "country": "MX",
                "document_id": doc,
                "document_type": "CURP",
                "beneficiary_name": name,
                "beneficiary_lastname": last,
                "bank_account": account,
                "email": format!("{}@example.mx", name.to_lowercase()),
            }),
            screenshot: None,
        };
        if let Err(e) = http
            .post(&intake)
            .bearer_auth(&token)
            .json(&req)
            .send()
            .await
            .and_then(|r| r.error_for_status())
        {
            tracing::warn!("sandbox Zimo-pagos intake: {e}");
        }
    }
}

/// A CLABE with a correct control digit (weights 3, 7, 1 over 17 digits).
pub(crate) fn clabe(rng: &mut StdRng) -> String {
    let mut digits: Vec<u32> = vec![0, 1, 2];
    digits.extend((0..14).map(|_| rng.random_range(0..10)));
    let sum: u32 = digits
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| (d * w) % 10)
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

/// A 16-digit debit card number that passes Luhn.
pub(crate) fn card_number(rng: &mut StdRng) -> String {
    let mut digits: Vec<u32> = vec![4, 1, 5, 2];
    digits.extend((0..11).map(|_| rng.random_range(0..10)));
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_accounts_are_valid_for_zimo_pagos() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let c = clabe(&mut rng);
            assert!(cashdesk_zimo_pagos::mexico::clabe_valid(&c), "{c}");
            let card = card_number(&mut rng);
            assert!(cashdesk_zimo_pagos::mexico::luhn_valid(&card), "{card}");
        }
    }
}
