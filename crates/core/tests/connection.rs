//! "Check connection" against each provider's simulator: the stored
//! credentials work, or the provider's refusal is shown as it came.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::*};
use cashdesk_domain::{AccountId, ProviderKind};
use cashdesk_sim::{cashweb, paykassma, zimo_pagos};
use common::*;

fn nv(name: &str, value: &str) -> NamedValue {
    NamedValue {
        name: name.into(),
        value: value.into(),
    }
}

fn add(
    app: &Cashdesk,
    provider: ProviderKind,
    base_url: String,
    secrets: Vec<NamedValue>,
    settings: Vec<NamedValue>,
) -> AccountId {
    api::accounts::add_account(
        app,
        &NewAccountInput {
            provider,
            name: format!("{provider:?} test"),
            base_url,
            secrets,
            settings,
        },
    )
    .expect("test keychain available (run under scripts/test.sh)")
    .id
}

#[tokio::test(flavor = "multi_thread")]
async fn each_provider_answers_with_good_credentials_and_refuses_wrong_ones() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    common::act_as(&app, "Admin");

    let zx = zexabit_sim(None).await;
    let secret = String::from_utf8(zx.webhook_secret().to_vec()).unwrap();
    let good = add(
        &app,
        ProviderKind::Zexabit,
        zx.base_url(),
        vec![nv("api_key", zx.api_key()), nv("webhook_secret", &secret)],
        vec![],
    );
    let bad = add(
        &app,
        ProviderKind::Zexabit,
        zx.base_url(),
        vec![nv("api_key", "wrong"), nv("webhook_secret", &secret)],
        vec![],
    );

    let zp = zimo_pagos::ZimoPagosSim::start(Default::default())
        .await
        .unwrap();
    let signing = String::from_utf8_lossy(zp.signing_secret()).into_owned();
    let https = vec![nv("notification_url", "https://desk.example/notify")];
    let zp_good = add(
        &app,
        ProviderKind::ZimoPagos,
        zp.base_url(),
        vec![
            nv("login", zp.login()),
            nv("pass", zp.pass()),
            nv("signing_secret", &signing),
        ],
        https.clone(),
    );
    let zp_bad = add(
        &app,
        ProviderKind::ZimoPagos,
        zp.base_url(),
        vec![
            nv("login", zp.login()),
            nv("pass", zp.pass()),
            nv("signing_secret", "wrong"),
        ],
        https,
    );

    let pk = paykassma::PaykassmaSim::start(Default::default())
        .await
        .unwrap();
    let pk_good = add(
        &app,
        ProviderKind::Paykassma,
        pk.base_url(),
        vec![
            nv("secret", pk.secret()),
            nv("private_key", pk.private_key()),
        ],
        vec![],
    );
    let pk_bad = add(
        &app,
        ProviderKind::Paykassma,
        pk.base_url(),
        vec![nv("secret", "wrong"), nv("private_key", pk.private_key())],
        vec![],
    );

    let cw = cashweb::CashWebSim::start(Default::default())
        .await
        .unwrap();
    let cw_good = add(
        &app,
        ProviderKind::Cashweb,
        cw.base_url(),
        vec![nv("api_key", cw.api_key())],
        vec![],
    );
    let cw_bad = add(
        &app,
        ProviderKind::Cashweb,
        cw.base_url(),
        vec![nv("api_key", "wrong")],
        vec![],
    );

    for (good, name) in [
        (good, "Zexabit"),
        (zp_good, "Zimo-pagos"),
        (pk_good, "Paykassma"),
        (cw_good, "CashWeb"),
    ] {
        let msg = api::accounts::check_connection(&app, good)
            .await
            .unwrap_or_else(|e| panic!("{name}: {}", e.message));
        assert!(msg.starts_with(&format!("Connected to {name}")), "{msg}");
    }
    for (bad, name) in [
        (bad, "Zexabit"),
        (zp_bad, "Zimo-pagos"),
        (pk_bad, "Paykassma"),
        (cw_bad, "CashWeb"),
    ] {
        let err = api::accounts::check_connection(&app, bad)
            .await
            .expect_err(name);
        assert_eq!(err.code, ErrorCode::Provider, "{name}: {}", err.message);
        assert!(
            err.message.contains(name),
            "{name}: the provider's refusal is named: {}",
            err.message
        );
    }
}
