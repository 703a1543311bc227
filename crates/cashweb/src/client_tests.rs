use super::*;

#[test]
fn the_api_key_never_appears_in_debug_output() {
    let c = Client::new(
        "https://api.cashweb.example",
        "cw_live_SECRET",
        ClientConfig::default(),
    )
    .unwrap();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("cw_live_SECRET"), "{dbg}");
    assert!(dbg.contains("[redacted]") && dbg.contains("authorization"));
}

#[test]
fn ids_and_references_are_encoded_as_one_path_segment() {
    assert_eq!(
        fill("/transactions/{id}/cancel", "{id}", "01917f00-7b4c"),
        "/transactions/01917f00-7b4c/cancel"
    );
    assert_eq!(
        fill("/x/{id}", "{id}", "a/../b c:d"),
        "/x/a%2F..%2Fb%20c%3Ad"
    );
}

#[test]
fn base_url_must_be_http_or_https_without_query_and_keeps_its_prefix() {
    assert!(parse_base("ftp://x").is_err());
    assert!(parse_base("https://x/?a=1").is_err());
    let c = Client::new("http://127.0.0.1:9/v1/", "k", ClientConfig::default()).unwrap();
    assert_eq!(
        c.url("/transactions").unwrap().as_str(),
        "http://127.0.0.1:9/v1/transactions"
    );
}

#[test]
fn a_bad_auth_header_name_or_key_is_refused_at_setup() {
    let header = ClientConfig {
        auth: AuthScheme::Header {
            name: "X API Key".into(),
        },
        ..ClientConfig::default()
    };
    assert!(matches!(
        Client::new("https://x", "k", header),
        Err(Error::Invalid(ValidationError::AuthHeaderName { .. }))
    ));
    assert!(matches!(
        Client::new("https://x", "k\n", ClientConfig::default()),
        Err(Error::Invalid(ValidationError::ApiKeyUnusable))
    ));
    assert!(Client::new("https://x", " ", ClientConfig::default()).is_err());
}
