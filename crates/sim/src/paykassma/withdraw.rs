//! Signed withdrawals, postback lookups (one by id, or many with
//! pullpostbacks) and account balances.
//!
//! A withdrawal is checked in the order a signed API must: body shape,
//! signature, field rules (the adapter's own documented rules, so both
//! sides refuse the same things), id uniqueness, then the balance.

use super::catalog::WITHDRAWAL_SYSTEMS;
use super::deliver::{Target, schedule};
use super::fields::{Check, Fail, Input};
use super::http::{S, after_commit, ok, success};
use super::state::{SimStatus, SimWithdrawal};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::Response;
use cashdesk_paykassma::CreateWithdrawalRequest;
use cashdesk_paykassma::signature::{self, PrivateKey};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const OPTIONAL_TEXT: [&str; 9] = [
    "comment",
    "account_number",
    "account_name",
    "account_email",
    "account_type",
    "document_type",
    "document_id",
    "account_digit",
    "iban",
];

pub(crate) async fn create(State(s): S, headers: HeaderMap, body: Bytes) -> Result<Response, Fail> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(Fail::text(
            "The withdrawal must be sent as application/json.",
        ));
    }
    let Ok(Value::Object(mut data)) = serde_json::from_slice::<Value>(&body) else {
        return Err(Fail::text("The request body is not a valid JSON object."));
    };
    if !matches!(data.get(signature::FIELD), Some(Value::String(_))) {
        return Err(Fail::field("signature", "The signature field is required."));
    }
    if !signature::verify(&PrivateKey::new(s.config.private_key.clone()), &data) {
        return Err(Fail::text("Invalid signature"));
    }
    data.remove(signature::FIELD);
    let input = Input {
        fields: data.clone(),
        files: Vec::new(),
    };
    let mut c = Check::default();
    let given_id = c.string(&input, "withdrawal_id", 36, false);
    let system = c.string(&input, "payment_system", 190, true);
    c.integer(&input, "amount");
    let currency = c.currency(&input, "currency_code");
    c.string(&input, "label", 190, true);
    let is_test = c.boolean(&input, "is_test");
    for field in OPTIONAL_TEXT {
        c.string(&input, field, usize::MAX, false);
    }
    let payments_details = nested(&mut c, &input, "payments_details");
    let bank_details = nested(&mut c, &input, "bank_details");
    if let Some(sys) = &system {
        match WITHDRAWAL_SYSTEMS.iter().find(|(code, _)| code == sys) {
            None => c.add("payment_system", "The selected payment system is invalid."),
            Some((_, cur)) if currency.as_deref().is_some_and(|c| c != *cur) => c.add(
                "currency_code",
                format!("The currency code is not supported by {sys}."),
            ),
            Some(_) => {}
        }
    }
    c.finish()?;
    let withdrawal_id = given_id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    data.insert("withdrawal_id".into(), json!(withdrawal_id));
    data.insert("is_test".into(), json!(is_test.unwrap_or(false)));
    let req: CreateWithdrawalRequest = serde_json::from_value(Value::Object(data))
        .map_err(|e| Fail::text(format!("The given data was invalid: {e}")))?;
    if let Err(e) = req.validate(&s.config.rules) {
        return Err(Fail::field(
            e.field().unwrap_or("withdrawal"),
            e.to_string(),
        ));
    }
    {
        let mut inner = s.lock();
        if inner.ledger.withdrawal_id_taken(&req.withdrawal_id) && !inner.unstated.pays_repeats() {
            return Err(Fail::field(
                "withdrawal_id",
                "The withdrawal id has already been taken.",
            ));
        }
        let after = inner.ledger.unfinished_in(&req.currency_code) + Decimal::from(req.amount);
        if s.config.check_balance && inner.ledger.balance_in(&req.currency_code) < after {
            return Err(Fail::field(
                "withdrawals_sum_amount",
                "Insufficient balance",
            ));
        }
        inner.ledger.withdrawals.push(SimWithdrawal {
            withdrawal_id: req.withdrawal_id.clone(),
            payment_system: req.payment_system.clone(),
            amount: req.amount,
            currency_code: req.currency_code.clone(),
            label: req.label.clone(),
            is_test: req.is_test,
            comment: req.comment.clone(),
            account_number: req.account_number.clone(),
            account_name: req.account_name.clone(),
            account_email: req.account_email.clone(),
            payments_details,
            bank_details,
            status: SimStatus::Pending,
        });
    }
    schedule(s.clone(), Target::Withdrawal(req.withdrawal_id));
    Ok(after_commit(&s, ok(json!({"status": "ok"}))).await)
}

/// An optional object of optional strings (`payments_details`, `bank_details`).
fn nested(c: &mut Check, input: &Input, field: &str) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    match input.fields.get(field) {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (k, v) in map {
                let name = format!("{field}.{k}");
                match v {
                    Value::Null => {
                        out.insert(k.clone(), None);
                    }
                    Value::String(t) if c.text(&name, t, 190) => {
                        out.insert(k.clone(), Some(t.clone()));
                    }
                    Value::String(_) => {}
                    _ => c.add(&name, format!("The {name} must be a string.")),
                }
            }
        }
        Some(_) => c.add(
            field,
            format!("The {} must be an array.", field.replace('_', " ")),
        ),
    }
    out
}

fn kind(c: &mut Check, input: &Input) -> Option<String> {
    let kind = c.string(input, "type", 20, true)?;
    if kind == "deposit" || kind == "withdrawal" {
        Some(kind)
    } else {
        c.add("type", "The selected type is invalid.");
        None
    }
}

fn value_of(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

pub(crate) async fn postback(
    State(s): S,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let kind = kind(&mut c, &input);
    let transaction_id = c.string(&input, "transaction_id", 190, false);
    let custom_id = c.string(&input, "custom_id", 190, false);
    let withdrawal_id = c.string(&input, "withdrawal_id", 190, false);
    match kind.as_deref() {
        Some("deposit") if transaction_id.is_none() && custom_id.is_none() => {
            c.add(
                "transaction_id",
                "The transaction id field is required when custom id is not present.",
            );
            c.add(
                "custom_id",
                "The custom id field is required when transaction id is not present.",
            );
        }
        Some("withdrawal") if withdrawal_id.is_none() => {
            c.add(
                "withdrawal_id",
                "The withdrawal id field is required when type is withdrawal.",
            );
        }
        _ => {}
    }
    c.finish()?;
    let inner = s.lock();
    let (ledger, u) = (&inner.ledger, &inner.unstated);
    let found = match (kind.as_deref(), transaction_id, custom_id, withdrawal_id) {
        (Some("withdrawal"), _, _, Some(id)) => {
            ledger.postback_by_withdrawal_id(&id, u).map(value_of)
        }
        (_, Some(id), _, _) => ledger.postback_by_transaction_id(&id, u).map(value_of),
        (_, None, Some(id), _) => ledger.postback_by_custom_id(&id, u).map(value_of),
        _ => None,
    };
    match found {
        Some(postback) => Ok(ok(json!({"status": "ok", "postback": postback}))),
        None => Err(Fail::text("Postback not found")),
    }
}

pub(crate) async fn pullpostbacks(
    State(s): S,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Fail> {
    let input = Input::read(&uri, &headers, &body)?;
    let mut c = Check::default();
    let kind = kind(&mut c, &input);
    let orders = c.strings(&input, "plugin_custom_order_id", false);
    let withdrawals = c.strings(&input, "withdrawal_id", false);
    match kind.as_deref() {
        Some("deposit") if orders.is_none() && !c.has("plugin_custom_order_id") => c.add(
            "plugin_custom_order_id",
            "The plugin custom order id field is required when type is deposit.",
        ),
        Some("withdrawal") if withdrawals.is_none() && !c.has("withdrawal_id") => c.add(
            "withdrawal_id",
            "The withdrawal id field is required when type is withdrawal.",
        ),
        _ => {}
    }
    c.finish()?;
    let inner = s.lock();
    let (ledger, u) = (&inner.ledger, &inner.unstated);
    let entry = |name: &str, id: &str, postback: Option<Value>| {
        let mut e = Map::new();
        e.insert(name.into(), json!(id));
        match postback {
            Some(p) => e.insert("postback".into(), p),
            None => e.insert("message".into(), json!("Postback not found")),
        };
        Value::Object(e)
    };
    let (key, items): (&str, Vec<Value>) = if kind.as_deref() == Some("deposit") {
        let ids = orders.unwrap_or_default();
        let items = ids.iter().map(|id| {
            let pb = ledger.postback_by_custom_id(id, u).map(|p| {
                let mut v = value_of(p);
                if let Some(o) = v.as_object_mut() {
                    o.remove("transaction_id");
                }
                v
            });
            entry("plugin_custom_order_id", id, pb)
        });
        ("transactions", items.collect())
    } else {
        let ids = withdrawals.unwrap_or_default();
        let items = ids.iter().map(|id| {
            entry(
                "withdrawal_id",
                id,
                ledger.postback_by_withdrawal_id(id, u).map(value_of),
            )
        });
        ("withdrawals", items.collect())
    };
    let n = items.len();
    Ok(success(
        json!({ key: items }),
        Some(json!({"offset": 0, "total": n, "limit": n})),
    ))
}

pub(crate) async fn balances(State(s): S) -> Response {
    let balances = s.lock().ledger.balances.clone();
    success(json!({"balances": balances}), None)
}
