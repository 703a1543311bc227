//! The HTTP surface and the deposit endpoints.
//!
//! Every request passes [`gate`] first: injected faults, then the
//! documented `secret` query parameter (404 "Not found" when missing or
//! wrong), except on the withdrawal, which is signed instead.

use super::catalog::{self, Flow};
use super::deliver::{Target, schedule};
use super::fields::{Check, Fail, Input};
use super::state::{PaymentKind, SimPayment, SimScreenshot, SimStatus, now};
use super::{Shared, pages, withdraw};
use crate::server;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use reqwest::Url;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::SystemTime;

pub(crate) type S = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let p = shared.config.paths.clone();
    Router::new()
        .route(&p.payment_systems, get(payment_systems))
        .route(&p.media_hints, get(media_hints))
        .route(&p.transaction_create, post(transaction_create))
        .route(&p.transaction_activate, post(activate))
        .route(&p.possible_transaction, post(pages::possible_transaction))
        .route(&p.payment_create, post(pages::payment_create))
        .route(&p.deposit_info, get(deposit_info))
        .route(&p.hash_url, post(pages::hash_url))
        .route(&p.withdrawal_create, post(withdraw::create))
        .route(&p.postback, get(withdraw::postback))
        .route(&p.pullpostbacks, get(withdraw::pullpostbacks))
        .route(&p.accounts_balance, get(withdraw::balances))
        .fallback(|| async { Fail::not_found() })
        .method_not_allowed_fallback(|| async { Fail::not_found() })
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

async fn gate(State(s): S, req: Request, next: Next) -> Response {
    let (latency, rate_limited, server_error) = {
        let mut inner = s.lock();
        inner.requests += 1;
        let rate = inner.faults.take_rate_limit();
        let err = rate.is_none() && inner.faults.take_500();
        (inner.faults.latency, rate, err)
    };
    if let Some(d) = latency {
        tokio::time::sleep(d).await;
    }
    if let Some(form) = rate_limited {
        let mut resp =
            Fail::with_status(StatusCode::TOO_MANY_REQUESTS, "Too Many Attempts.").into_response();
        if let Ok(v) = HeaderValue::from_str(&form.header_value(SystemTime::now())) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return resp;
    }
    if server_error {
        return Fail::with_status(StatusCode::INTERNAL_SERVER_ERROR, "Server Error")
            .into_response();
    }
    let path = req.uri().path().to_owned();
    if path != s.config.paths.withdrawal_create {
        let given = secret_of(req.uri());
        if given.as_deref() != Some(s.config.secret.as_str()) {
            if path == s.config.paths.accounts_balance && given.is_some() {
                return wrong_secret();
            }
            return Fail::not_found().into_response();
        }
    }
    let resp = next.run(req).await;
    if resp.status().is_success() && s.lock().faults.take_malformed() {
        let mut bad = (StatusCode::OK, r#"{"status":"ok","par"#).into_response();
        bad.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return bad;
    }
    resp
}

fn secret_of(uri: &Uri) -> Option<String> {
    let url = Url::parse(&format!("http://sim{uri}")).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "secret")
        .map(|(_, v)| v.into_owned())
}

/// Documented for accounts-balance.
fn wrong_secret() -> Response {
    let body = json!({"status": "error", "code": 30228,
        "errors": {"target": "secret", "code": 36205, "message": "Wrong secret"},
        "error_message": "Data validation error"});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Faults that hit after a money-moving POST was committed.
pub(crate) async fn after_commit(s: &Shared, resp: Response) -> Response {
    let (drop, hang) = {
        let mut inner = s.lock();
        (inner.faults.take_drop(), inner.faults.hang_after_commit)
    };
    if drop {
        return server::drop_connection();
    }
    if let Some(d) = hang {
        tokio::time::sleep(d).await;
    }
    // A push sent at once goes first: the answer waits for it to be on its way.
    let delay = s.lock().unstated.answer_delay();
    tokio::time::sleep(delay).await;
    resp
}

/// An exact decimal as a JSON number.
pub(crate) fn num(d: rust_decimal::Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
}

pub(crate) fn ok(body: Value) -> Response {
    Json(body).into_response()
}

/// `{"status":"success","message":"","code":20000,"data":...}`.
pub(crate) fn success(data: Value, paginate: Option<Value>) -> Response {
    let mut body = json!({"status": "success", "message": "", "code": 20000, "data": data});
    if let Some(p) = paginate {
        body["paginate"] = p;
    }
    ok(body)
}

/// Records a pending deposit and schedules its settlement.
pub(crate) fn commit(s: &Arc<Shared>, payment: SimPayment) {
    let index = s.lock().ledger.add_payment(payment);
    schedule(s.clone(), Target::Payment(index));
}

pub(crate) fn pending(
    kind: PaymentKind,
    wallet: &catalog::SimWallet,
    label: String,
    key1: String,
    amount: rust_decimal::Decimal,
    custom_id: String,
) -> SimPayment {
    SimPayment {
        kind,
        wallet_type: wallet.wallet.wallet_type.clone(),
        currency: wallet.wallet.currency_code.clone(),
        label,
        key1,
        amount,
        custom_id,
        status: SimStatus::Pending,
        checked: false,
        possible: false,
        screenshot: None::<SimScreenshot>,
        created_at: now(),
        settled_at: None,
        credited: false,
    }
}

async fn payment_systems(
    State(s): S,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let codes = c.strings(&input, "currency_code", true).unwrap_or_default();
    for code in &codes {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            c.add(
                "currency_code",
                "The currency code must contain 3-letter codes.",
            );
        }
    }
    c.string(&input, "label", 190, true);
    c.finish()?;
    let inner = s.lock();
    let wallets: Vec<_> = inner
        .ledger
        .wallets
        .iter()
        .filter(|w| codes.contains(&w.wallet.currency_code))
        .map(|w| w.wallet.clone())
        .collect();
    let currency_data: Vec<_> = catalog::currencies()
        .into_iter()
        .filter(|c| codes.contains(&c.code))
        .collect();
    Ok(ok(
        json!({"status": "ok", "params": {"currency_data": currency_data, "wallets": wallets}}),
    ))
}

async fn media_hints() -> Response {
    let mut data = serde_json::Map::new();
    for (wallet, id, file) in catalog::MEDIA_HINTS {
        let url = format!("https://api.sandbox.paykassma.test/storage/guide-image/{file}");
        data.insert(wallet.into(), json!({"id": id, "url": url}));
    }
    success(Value::Object(data), None)
}

async fn transaction_create(
    State(s): S,
    Path(wallet_type): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let currency = c.currency(&input, "currency");
    c.string(&input, "label", 190, true);
    c.finish()?;
    let inner = s.lock();
    let wallet = inner
        .ledger
        .wallet(&wallet_type)
        .filter(|w| w.flow != Flow::PaymentPage)
        .ok_or_else(|| Fail::text(format!("Payment system {wallet_type} is not available")))?;
    if currency.as_deref() != Some(wallet.wallet.currency_code.as_str()) {
        return Err(Fail::field("currency", "The selected currency is invalid."));
    }
    Ok(ok(
        json!({"status": "ok", "params": {"identifier": wallet.identifier}}),
    ))
}

/// The documented answer to activating a suspicious transaction.
pub(crate) const CHECK_STARTED: &str = "Check of deposit status started. The operation may take \
longer than expected. Once checked the funds will credit to your account";

pub(crate) const NOT_FOUND_POSSIBLE: &str = "Transaction not found. Possible transaction created";

async fn activate(
    State(s): S,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let currency = c.currency(&input, "currency_code");
    let wallet_type = c.string(&input, "wallet_type", 190, true);
    let label = c.string(&input, "label", 190, true);
    let key1 = c.string(&input, "key1", 190, true);
    let amount = c.amount(&input, "amount", false);
    let custom_id = c.string(&input, "custom_transaction_id", 64, true);
    let wallet = wallet_type
        .as_deref()
        .and_then(|w| s.lock().ledger.wallet(w).cloned());
    match (&wallet_type, &wallet) {
        (Some(_), None) => c.add("wallet_type", "The selected wallet type is invalid."),
        (_, Some(w)) if w.flow != Flow::Activation => c.add(
            "wallet_type",
            "The selected wallet type does not take activation.",
        ),
        (_, Some(w)) if w.needs_amount && amount.is_none() && !c.has("amount") => {
            c.required("amount")
        }
        _ => {}
    }
    c.finish()?;
    let (Some(wallet), Some(currency), Some(label), Some(key1), Some(custom_id)) =
        (wallet, currency, label, key1, custom_id)
    else {
        return Err(Fail::text("The given data was invalid."));
    };
    if currency != wallet.wallet.currency_code {
        return Err(Fail::field(
            "currency_code",
            "The selected currency code is invalid.",
        ));
    }
    let (min, max) = wallet.key1_len;
    if !(min..=max).contains(&key1.chars().count()) {
        return Err(Fail::field("key1", "Transaction field has wrong length"));
    }
    let mut payment = pending(
        PaymentKind::Activation,
        &wallet,
        label,
        key1.clone(),
        amount.unwrap_or(wallet.minimum_deposit),
        custom_id.clone(),
    );
    {
        let inner = s.lock();
        if inner.ledger.custom_id_taken(&custom_id) && !inner.unstated.pays_repeats() {
            return Err(Fail::field(
                "custom_transaction_id",
                "The custom transaction id has already been taken.",
            ));
        }
        if inner.ledger.key1_taken(&wallet.wallet.wallet_type, &key1) {
            return Err(Fail::field("key1", "Transaction already activated"));
        }
    }
    let resp = if key1.starts_with("SUSPECT") {
        payment.checked = true;
        Fail::text(CHECK_STARTED).into_response()
    } else if key1.starts_with("NOTFOUND") {
        if !s.config.possible_transactions {
            return Err(Fail::text("Transaction not found"));
        }
        payment.possible = true;
        ok(json!({"status": "possible_transaction_created", "message": NOT_FOUND_POSSIBLE}))
    } else {
        ok(json!({"status": "ok"}))
    };
    commit(&s, payment);
    Ok(after_commit(&s, resp).await)
}

async fn deposit_info(
    State(s): S,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let label = c.string(&input, "label", 190, true);
    let wallet_type = c.string(&input, "wallet_type", 190, true);
    let currency = c.currency(&input, "currency");
    c.string(&input, "code", 190, false);
    c.finish()?;
    let (Some(label), Some(wallet_type), Some(currency)) = (label, wallet_type, currency) else {
        return Err(Fail::text("The given data was invalid."));
    };
    let inner = s.lock();
    if inner.ledger.wallet(&wallet_type).is_none() {
        return Err(Fail::field(
            "wallet_type",
            "The selected wallet type is invalid.",
        ));
    }
    let (saved, minimum) = inner.ledger.savings(&label, &wallet_type, &currency);
    let lacks = (minimum - saved).max(rust_decimal::Decimal::ZERO);
    Ok(ok(
        json!({"status": "ok", "stockpiling_sum": num(saved), "lacks_sum": num(lacks),
        "minimum_deposit": num(minimum)}),
    ))
}
