use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn book() -> Book {
    Book::new(
        Terms {
            merchant_id: "mrc_001".into(),
            terminal_id: "term_01".into(),
            deposit_expiry: Duration::from_secs(1800),
            quote_validity: Duration::from_secs(120),
            confirmation_interval: Duration::from_secs(3),
        },
        markets::markets(),
    )
}

fn direct(reference: &str, fiat: &str) -> NewTransaction {
    NewTransaction {
        merchant_reference: reference.into(),
        pricing: NewPricing::Direct {
            fiat_amount: d(fiat),
            crypto_currency: "usdt".into(),
            network: "trc20".into(),
        },
        seller_phone: None,
    }
}

/// A fresh transaction awaiting its deposit, for the chain tests.
pub(crate) fn sample() -> SimTransaction {
    book()
        .create(direct("order-1", "161500.00"), chain::now())
        .unwrap()
}

#[test]
fn direct_mode_derives_crypto_amount_from_the_latest_rate_to_8_places() {
    assert_eq!(
        crypto_for(d("161500.00"), d("1615.00")).to_string(),
        "100.00"
    );
    assert_eq!(
        crypto_for(d("50000"), d("1615.00")).to_string(),
        "30.95975233"
    );
    assert_eq!(
        crypto_for(d("1"), d("158000000.00")).to_string(),
        "0.00000001"
    );
    let mut b = book();
    b.set_rate("USDT", "TRC20", d("1600.00")).unwrap();
    let t = b
        .create(direct("order-2", "1600.00"), chain::now())
        .unwrap();
    assert_eq!(
        (t.rate, t.crypto_amount.to_string()),
        (d("1600"), "1.00".into())
    );
}

#[test]
fn references_are_unique_ignoring_case() {
    let mut b = book();
    let now = chain::now();
    b.create(direct("Order-4551", "100"), now).unwrap();
    let dup = b.create(direct("ORDER-4551", "100"), now).unwrap_err();
    assert_eq!(
        (dup.status, dup.code),
        (StatusCode::CONFLICT, codes::DUPLICATE_MERCHANT_REFERENCE)
    );
    assert_eq!(
        b.by_reference("order-4551").unwrap().merchant_reference,
        "Order-4551"
    );
    assert_eq!(b.transactions.len(), 1);
}

#[test]
fn a_quote_fixes_the_rate_and_is_refused_once_expired() {
    let mut b = book();
    let t0 = chain::now();
    let q = b.issue_quote(d("161500.00"), "usdt", "trc20", t0).unwrap();
    b.set_rate("usdt", "trc20", d("2000.00")).unwrap();
    let quoted = NewTransaction {
        merchant_reference: "q-1".into(),
        pricing: NewPricing::Quote(q.quote_id.clone()),
        seller_phone: None,
    };
    let t = b
        .create(quoted, t0 + delta(Duration::from_secs(119)))
        .unwrap();
    assert_eq!((t.rate, t.crypto_amount), (d("1615.00"), d("100")));
    assert_eq!(t.quote_id.as_deref(), Some(q.quote_id.as_str()));
    let late = NewTransaction {
        merchant_reference: "q-2".into(),
        pricing: NewPricing::Quote(q.quote_id),
        seller_phone: None,
    };
    let e = b
        .create(late, t0 + delta(Duration::from_secs(120)))
        .unwrap_err();
    assert_eq!(e.code, codes::QUOTE_EXPIRED);
}

#[test]
fn pages_run_newest_first_and_say_where_the_next_starts() {
    let mut b = book();
    for i in 0..5 {
        b.create(direct(&format!("r{i}"), "100"), chain::now())
            .unwrap();
    }
    let newest = crate::ListOrder::NewestFirst;
    let (first, next) = b.page(2, None, newest);
    let refs: Vec<_> = first
        .iter()
        .map(|t| t.merchant_reference.as_str())
        .collect();
    assert_eq!(refs, ["r4", "r3"]);
    let (second, next) = b.page(2, next, newest);
    assert_eq!(second[0].merchant_reference, "r2");
    let (last, end) = b.page(2, next, newest);
    assert_eq!((last.len(), end), (1, None));
    let (exact, end) = b.page(5, None, newest);
    assert_eq!((exact.len(), end), (5, None), "no cursor to an empty page");
    // Oldest first, when the test plays that answer.
    let oldest = crate::ListOrder::OldestFirst;
    let (first, next) = b.page(3, None, oldest);
    assert_eq!(first[0].merchant_reference, "r0");
    let (rest, end) = b.page(3, next, oldest);
    let refs: Vec<_> = rest.iter().map(|t| t.merchant_reference.as_str()).collect();
    assert_eq!((refs, end), (vec!["r3", "r4"], None));
}

#[test]
fn only_a_transaction_awaiting_its_deposit_can_be_cancelled() {
    let mut b = book();
    let now = chain::now();
    let a = b.create(direct("a", "100"), now).unwrap();
    let paid = b.create(direct("b", "100"), now).unwrap();
    b.schedule_deposit(&paid.id, now).unwrap();
    b.advance(now);
    assert_eq!(b.cancel(&a.id, now).unwrap().status, Status::Cancelled);
    assert_eq!(
        b.cancel(&a.id, now).unwrap_err().status,
        StatusCode::CONFLICT
    );
    let e = b.cancel(&paid.id, now).unwrap_err();
    assert_eq!(e.code, codes::NOT_CANCELLABLE);
    assert!(e.message.contains("deposit_detected"), "{}", e.message);
    assert_eq!(
        b.cancel("nope", now).unwrap_err().status,
        StatusCode::NOT_FOUND
    );
    assert!(
        b.schedule_deposit(&a.id, now).is_err(),
        "cancelled takes no deposit"
    );
}

#[test]
fn the_status_shape_has_no_deposit_fields_until_a_deposit_lands() {
    let t = sample().tsq();
    assert_eq!(
        (t.deposit_id, t.deposit_status, t.received_at),
        (None, None, None)
    );
    assert_eq!(
        (t.confirmations, t.required_confirmations),
        (Some(0), Some(19))
    );
}
