//! Deposits without activation: manual possible transactions (multipart,
//! with a screenshot), payment pages (`payment/create`, including
//! bkash_api and nagad_api), and the widget's redirect URL hashing.

use super::catalog::{BANKS, Flow, SimWallet};
use super::fields::{Check, Fail, Input};
use super::http::{NOT_FOUND_POSSIBLE, S, after_commit, commit, ok, pending, success};
use super::state::{PaymentKind, SimScreenshot};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use cashdesk_paykassma::signature::{self, PrivateKey};
use serde_json::{Map, Value, json};

pub(crate) async fn possible_transaction(
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
    let amount = c.amount(&input, "amount", true);
    let custom_id = c.string(&input, "custom_id", 190, true);
    let screenshot = screenshot(&mut c, &input, &s.config.rules.screenshot);
    let wallet = wallet_type
        .as_deref()
        .and_then(|w| s.lock().ledger.wallet(w).cloned());
    match (&wallet_type, &wallet) {
        (Some(_), None) => c.add("wallet_type", "The selected wallet type is invalid."),
        (_, Some(w)) if w.flow != Flow::Manual => c.add(
            "wallet_type",
            "The selected wallet type is not a manual payment system.",
        ),
        _ => {}
    }
    c.finish()?;
    let (Some(wallet), Some(currency), Some(label), Some(key1), Some(amount), Some(custom_id)) =
        (wallet, currency, label, key1, amount, custom_id)
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
    let taken = {
        let inner = s.lock();
        inner.ledger.custom_id_taken(&custom_id) && !inner.unstated.pays_repeats()
    };
    if taken {
        return Err(Fail::field(
            "custom_id",
            "The custom id has already been taken.",
        ));
    }
    let mut payment = pending(
        PaymentKind::PossibleTransaction,
        &wallet,
        label,
        key1.clone(),
        amount,
        custom_id,
    );
    payment.screenshot = screenshot;
    let resp = if key1.starts_with("NOTFOUND") {
        payment.possible = true;
        ok(json!({"status": "possible_transaction_created", "message": NOT_FOUND_POSSIBLE}))
    } else {
        success(
            json!([]),
            Some(json!({"offset": 0, "total": 1, "limit": 1})),
        )
    };
    commit(&s, payment);
    Ok(after_commit(&s, resp).await)
}

/// The uploaded `screenshot`, checked against the configured limits.
fn screenshot(
    c: &mut Check,
    input: &Input,
    rules: &cashdesk_paykassma::ScreenshotRules,
) -> Option<SimScreenshot> {
    if input.get("screenshot").is_some() {
        c.add("screenshot", "The screenshot must be a file.");
        return None;
    }
    let file = input.file("screenshot")?;
    let content_type = file.content_type.clone().unwrap_or_default();
    if !rules.content_types.contains(&content_type) {
        c.add(
            "screenshot",
            format!(
                "The screenshot must be a file of type: {}.",
                rules.content_types.join(", ")
            ),
        );
        return None;
    }
    if file.data.is_empty() || file.data.len() > rules.max_bytes {
        c.add(
            "screenshot",
            format!(
                "The screenshot must be between 1 and {} kilobytes.",
                rules.max_bytes / 1024
            ),
        );
        return None;
    }
    let file_name = file.file_name.clone().unwrap_or_default();
    c.text("screenshot", &file_name, rules.max_name_chars)
        .then(|| SimScreenshot {
            file_name,
            content_type,
            bytes: file.data.clone(),
        })
}

fn url(c: &mut Check, input: &Input, field: &str) {
    if let Some(u) = c.string(input, field, usize::MAX, true)
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        c.add(
            field,
            format!("The {} format is invalid.", field.replace('_', " ")),
        );
    }
}

pub(crate) async fn payment_create(
    State(s): S,
    Path(system): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let wallet: SimWallet = s
        .lock()
        .ledger
        .wallet(&system)
        .filter(|w| w.flow == Flow::PaymentPage)
        .cloned()
        .ok_or_else(|| Fail::text(format!("Payment system {system} is not available")))?;
    let mut c = Check::default();
    let amount = c.amount(&input, "amount", true);
    let currency = c.currency(&input, "currency");
    let label = c.string(&input, "label", 190, true);
    let custom_id = c.string(&input, "custom_transaction_id", 64, true);
    match system.as_str() {
        "bkash_api" => {
            if let Some(n) = c.string(&input, "account_number", 11, true)
                && s.config
                    .rules
                    .bkash_api_account
                    .check("account_number", &n)
                    .is_err()
            {
                c.add("account_number", "The account number format is invalid.");
            }
            for f in ["success_url", "failure_url", "cancel_url"] {
                url(&mut c, &input, f);
            }
        }
        "nagad_api" => {
            for f in ["success_url", "fail_url", "cancel_url"] {
                url(&mut c, &input, f);
            }
        }
        _ => {
            if let Some(l) = c.string(&input, "language", 2, true)
                && !(l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase()))
            {
                c.add("language", "The language must be 2 characters.");
            }
            if let Some(b) = c.string(&input, "bank", 3, true)
                && !BANKS.contains(&b.as_str())
            {
                c.add("bank", "The selected bank is invalid.");
            }
            url(&mut c, &input, "redirect_url");
        }
    }
    if amount.is_some_and(|a| a < wallet.minimum_deposit) {
        c.add(
            "amount",
            format!("The amount must be at least {}.", wallet.minimum_deposit),
        );
    }
    if currency
        .as_deref()
        .is_some_and(|cur| cur != wallet.wallet.currency_code)
    {
        c.add("currency", "The selected currency is invalid.");
    }
    c.finish()?;
    let (Some(amount), Some(label), Some(custom_id)) = (amount, label, custom_id) else {
        return Err(Fail::text("The given data was invalid."));
    };
    let order = {
        let inner = s.lock();
        if inner.ledger.custom_id_taken(&custom_id) {
            return Err(Fail::field(
                "custom_transaction_id",
                "The custom transaction id has already been taken.",
            ));
        }
        format!("PG{:014}", inner.ledger.payments.len() + 1)
    };
    let payment = pending(
        PaymentKind::PaymentPage,
        &wallet,
        label,
        order.clone(),
        amount,
        custom_id,
    );
    let resp = match system.as_str() {
        "bkash_api" => ok(json!({"status": "ok", "data": {"orderId": order,
            "bkashUrl": format!("https://sandbox.payment.bkash.test/redirect/tokenized/?paymentID={order}"),
            "message": "Successful"}})),
        "nagad_api" => ok(json!({"status": "ok",
            "payment_url": format!("https://sandbox.mynagad.test/check-out/{order}")})),
        _ => ok(json!({"status": "ok"})),
    };
    commit(&s, payment);
    Ok(after_commit(&s, resp).await)
}

pub(crate) async fn hash_url(
    State(s): S,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let mut out = Map::new();
    let key = PrivateKey::new(s.config.secret.clone());
    let mut sizes = Vec::new();
    for (list, answer) in [
        ("success_urls", "success_url"),
        ("fail_urls", "fail_url"),
        ("pending_urls", "pending_url"),
    ] {
        let items = match input.fields.get(list) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => {
                c.add(
                    list,
                    format!("The {} must be an array.", list.replace('_', " ")),
                );
                continue;
            }
        };
        sizes.push(items.len());
        let mut hashed: Vec<(u64, String)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let order = item.get("order").and_then(Value::as_u64);
            let url = item.get("url").and_then(Value::as_str);
            match (order, url) {
                (Some(o), Some(u)) if !u.is_empty() => {
                    let mut data = Map::new();
                    data.insert("url".into(), json!(u));
                    hashed.push((o, signature::sign(&key, &data)));
                }
                _ => c.add(&format!("{list}.{i}"), "Both order and url are required."),
            }
        }
        hashed.sort_by_key(|(o, _)| *o);
        let numbered: Vec<Value> = hashed
            .into_iter()
            .enumerate()
            .map(|(i, (_, h))| json!({"order": i + 1, "url": h}))
            .collect();
        out.insert(answer.into(), Value::Array(numbered));
    }
    if sizes.first() == Some(&0) && sizes.get(1) == Some(&0) {
        c.add(
            "success_urls",
            "The success urls field is required when fail urls is empty.",
        );
    }
    c.finish()?;
    Ok(ok(json!({"status": "ok", "urls": out})))
}
