//! Every documented field rule, checked before anything is sent: each
//! refusal names its field, and the simulator sees no request at all.

use cashdesk_sim::zimo_pagos::{ZimoPagosSim, ZimoPagosSimConfig};
use cashdesk_zimo_pagos::{
    CashoutRequest, Client, ClientConfig, Endpoint, Error, ValidationError, ValidationOptions,
};
use rust_decimal::Decimal;
use std::str::FromStr;

const CLABE: &str = "032180000118359719";

fn valid() -> CashoutRequest {
    CashoutRequest {
        external_id: "wd-1".into(),
        country: "MX".into(),
        amount: Decimal::from_str("1500.50").unwrap(),
        currency: Some("MXN".into()),
        document_id: "GODE561231HDFABC09".into(),
        beneficiary_name: "José".into(),
        email: Some("jose@example.com".into()),
        bank_code: Some(72),
        bank_account: Some(CLABE.into()),
        beneficiary_birthdate: Some("19840521".into()),
        notification_url: "https://desk.example/zimo".into(),
        ..CashoutRequest::default()
    }
}

fn strict() -> ValidationOptions {
    ValidationOptions::default()
}

fn refusal(change: impl FnOnce(&mut CashoutRequest)) -> ValidationError {
    let mut r = valid();
    change(&mut r);
    r.validate(&strict()).unwrap_err()
}

/// Changes one field of a request.
type Change = fn(&mut CashoutRequest);

/// Sets one text field of a request.
type Setter = Box<dyn Fn(&mut CashoutRequest, String)>;

fn long(n: usize) -> String {
    "x".repeat(n)
}

#[test]
fn a_complete_request_passes_and_goes_to_the_normal_endpoint() {
    assert_eq!(valid().validate(&strict()), Ok(Endpoint::Standard));
}

#[test]
fn required_fields_are_named_when_missing_or_blank() {
    let cases: [(&str, Change); 4] = [
        ("external_id", |r| r.external_id = " ".into()),
        ("document_id", |r| r.document_id.clear()),
        ("beneficiary_name", |r| r.beneficiary_name.clear()),
        ("notification_url", |r| r.notification_url.clear()),
    ];
    for (field, change) in cases {
        let e = refusal(change);
        assert_eq!(e, ValidationError::Required { field });
        assert_eq!(
            e.to_string(),
            format!("{field} is required and must not be empty")
        );
    }
}

#[test]
fn every_documented_maximum_length_is_enforced_in_characters() {
    let cases: Vec<(&str, usize, Setter)> = vec![
        ("external_id", 100, Box::new(|r, v| r.external_id = v)),
        ("document_id", 40, Box::new(|r, v| r.document_id = v)),
        (
            "document_type",
            15,
            Box::new(|r, v| r.document_type = Some(v)),
        ),
        (
            "beneficiary_name",
            100,
            Box::new(|r, v| r.beneficiary_name = v),
        ),
        (
            "beneficiary_lastname",
            100,
            Box::new(|r, v| r.beneficiary_lastname = Some(v)),
        ),
        ("phone", 20, Box::new(|r, v| r.phone = Some(v))),
        ("bank_branch", 15, Box::new(|r, v| r.bank_branch = Some(v))),
        ("account_type", 1, Box::new(|r, v| r.account_type = Some(v))),
        ("address", 200, Box::new(|r, v| r.address = Some(v))),
        ("city", 100, Box::new(|r, v| r.city = Some(v))),
        ("postal_code", 20, Box::new(|r, v| r.postal_code = Some(v))),
        ("comments", 200, Box::new(|r, v| r.comments = Some(v))),
    ];
    for (field, max, set) in cases {
        let mut ok = valid();
        set(&mut ok, "é".repeat(max));
        assert!(
            ok.validate(&strict()).is_ok(),
            "{field} at {max} characters"
        );
        let mut over = valid();
        set(&mut over, long(max + 1));
        let e = over.validate(&strict()).unwrap_err();
        assert_eq!(
            e,
            ValidationError::TooLong {
                field,
                max,
                len: max + 1
            }
        );
        assert_eq!(e.field(), Some(field));
    }
    let e = refusal(|r| r.bank_account = Some("0".repeat(31)));
    assert_eq!(
        e.to_string(),
        "bank_account must be at most 30 characters; it has 31"
    );
    let e = refusal(|r| r.email = Some(format!("{}@example.com", long(90))));
    assert_eq!(e.field(), Some("email"));
    let e = refusal(|r| r.notification_url = format!("https://desk.example/{}", long(290)));
    assert!(
        e.to_string()
            .starts_with("notification_url must be at most 300"),
        "{e}"
    );
}

#[test]
fn country_and_currency_must_be_iso_codes() {
    let e = refusal(|r| r.country = "MEX".into());
    assert_eq!(
        e.to_string(),
        "country must be an ISO 3166-1 alpha-2 code in capitals, like MX; \"MEX\" is not"
    );
    assert!(matches!(
        refusal(|r| r.country = "mx".into()),
        ValidationError::Country { .. }
    ));
    let e = refusal(|r| r.currency = Some("MXP".into()));
    assert_eq!(e.field(), Some("currency"));
    let mut no_currency = valid();
    no_currency.currency = None;
    assert!(
        no_currency.validate(&strict()).is_ok(),
        "currency is optional"
    );
}

#[test]
fn the_amount_is_positive_with_at_most_2_decimals() {
    let amount = |s: &str| {
        let mut r = valid();
        r.amount = Decimal::from_str(s).unwrap();
        r.validate(&strict())
    };
    assert!(amount("0.01").is_ok());
    assert!(amount("10.500").is_ok(), "10.500 is 10.5");
    let e = amount("10.505").unwrap_err();
    assert_eq!(
        e.to_string(),
        "amount 10.505 has more than 2 decimals; Zimo-pagos accepts at most 2"
    );
    assert!(matches!(
        amount("0").unwrap_err(),
        ValidationError::AmountNotPositive { .. }
    ));
    assert!(matches!(
        amount("-5").unwrap_err(),
        ValidationError::AmountNotPositive { .. }
    ));
}

#[test]
fn birthdate_is_a_real_date_written_yyyymmdd() {
    for bad in [
        "1984-05-21",
        "21051984",
        "19840231",
        "1984052",
        "198405211",
        "abcdefgh",
    ] {
        let e = refusal(|r| r.beneficiary_birthdate = Some(bad.into()));
        assert_eq!(e.field(), Some("beneficiary_birthdate"), "{bad}");
    }
    let mut leap = valid();
    leap.beneficiary_birthdate = Some("20000229".into());
    assert!(leap.validate(&strict()).is_ok());
}

#[test]
fn email_must_look_like_an_address() {
    for bad in [
        "jose.example.com",
        "@example.com",
        "jose@",
        "jose@example",
        "jo se@example.com",
    ] {
        let e = refusal(|r| r.email = Some(bad.into()));
        assert_eq!(e.field(), Some("email"), "{bad}");
    }
}

#[test]
fn notification_url_must_be_https_unless_a_loopback_sandbox_is_allowed() {
    let url = |u: &str, opts: ValidationOptions| {
        let mut r = valid();
        r.notification_url = u.into();
        r.validate(&opts)
    };
    let sandbox = ValidationOptions {
        allow_http_loopback_notification_url: true,
        ..ValidationOptions::default()
    };
    let e = url("http://127.0.0.1:9/zimo", strict()).unwrap_err();
    assert!(e.to_string().contains("over HTTPS"), "{e}");
    assert!(url("http://127.0.0.1:9/zimo", sandbox).is_ok());
    assert!(url("http://localhost/zimo", sandbox).is_ok());
    assert!(
        url("http://desk.example/zimo", sandbox).is_err(),
        "only loopback"
    );
    assert!(url("ftp://desk.example/zimo", sandbox).is_err());
    assert!(
        url("not a url", strict())
            .unwrap_err()
            .to_string()
            .contains("not a valid URL")
    );
}

#[test]
fn mexico_routes_cards_by_luhn_and_needs_a_clabe_otherwise() {
    let account = |a: Option<&str>| {
        let mut r = valid();
        r.bank_account = a.map(str::to_owned);
        r.validate(&strict())
    };
    assert_eq!(account(Some("4111111111111111")), Ok(Endpoint::DebitCard));
    assert_eq!(account(Some(CLABE)), Ok(Endpoint::Standard));
    assert_eq!(account(None), Err(ValidationError::MexicoAccountRequired));
    assert_eq!(
        account(Some("")),
        Err(ValidationError::MexicoAccountRequired)
    );
    assert!(
        account(Some("032180000118359718")).is_err(),
        "CLABE control digit"
    );
    assert!(account(Some("4111111111111112")).is_err(), "Luhn");
    let mut brazil = valid();
    brazil.country = "BR".into();
    brazil.bank_account = Some("4111111111111111".into());
    assert_eq!(
        brazil.validate(&strict()),
        Ok(Endpoint::Standard),
        "cards only in Mexico"
    );
}

#[tokio::test]
async fn a_refused_request_never_reaches_the_provider() {
    let sim = ZimoPagosSim::start(ZimoPagosSimConfig::default())
        .await
        .unwrap();
    let strict_client = Client::with_config(
        &sim.base_url(),
        sim.credentials(),
        ClientConfig {
            card_base_url: Some(sim.card_base_url()),
            ..ClientConfig::default()
        },
    )
    .unwrap();
    let mut bad = valid();
    bad.beneficiary_name = long(101);
    let e = strict_client.create_cashout(&bad).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "not sent to Zimo-pagos: beneficiary_name must be at most 100 characters; it has 101"
    );
    assert!(!e.may_have_taken_effect() && !e.is_retryable_without_risk());
    let mut http = valid();
    http.notification_url = format!("{}/notify", sim.base_url());
    assert!(matches!(
        strict_client.create_cashout(&http).await,
        Err(Error::Invalid(ValidationError::NotificationUrl { .. }))
    ));
    assert_eq!(sim.request_count(), 0);
}
