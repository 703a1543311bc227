//! The HTTP surface: the document's endpoints, nothing else.
//!
//! Every request passes [`gate`] first: injected faults, Bearer auth,
//! partner suspension and the per-key sliding-minute limit, in that order.

use super::deliver::schedule_settlement;
use super::fields::{amount, object, optional, required};
use super::state::{ApiError, NewTxn, SimTxn, TxnKind};
use super::{Inner, Shared};
use crate::server;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cashdesk_zexabit::wire::{self, codes};
use cashdesk_zexabit::{
    AgentNumber, CreateDepositResponse, CreateUserResponse, CreateWithdrawalResponse,
    DepositStatus, PaymentMethods, UserBalance, WithdrawalStatus,
};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

type S = State<Arc<Shared>>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let p = shared.config.paths.clone();
    Router::new()
        .route(&p.create_user, post(create_user))
        .route(&p.user_balance, get(user_balance))
        .route(&p.deposits, post(create_deposit))
        .route(&p.deposit_status, get(deposit_status))
        .route(&p.withdrawals, post(create_withdrawal))
        .route(&p.withdrawal_status, get(withdrawal_status))
        .route(&p.payment_methods, get(payment_methods))
        .route(&p.agent_number, get(agent_number))
        .fallback(|| async { ApiError::not_found("No such endpoint") })
        .method_not_allowed_fallback(|| async { ApiError::not_found("No such endpoint") })
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

enum Forced {
    RateLimited(String),
    ServerError,
}

async fn gate(State(s): S, req: Request, next: Next) -> Response {
    let (latency, forced) = {
        let mut inner = s.lock();
        inner.requests += 1;
        let now = SystemTime::now();
        let forced = match inner.faults.take_rate_limit() {
            Some(form) => Some(Forced::RateLimited(form.header_value(now))),
            None if inner.faults.take_500() => Some(Forced::ServerError),
            None => None,
        };
        (inner.faults.latency, forced)
    };
    if let Some(d) = latency {
        tokio::time::sleep(d).await;
    }
    match forced {
        Some(Forced::RateLimited(retry_after)) => return too_many(&retry_after),
        Some(Forced::ServerError) => {
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                codes::INTERNAL_ERROR,
                "Internal error. Contact us on WhatsApp",
            )
            .into_response();
        }
        None => {}
    }
    let expected = format!("Bearer {}", s.config.api_key);
    let key = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if key != Some(expected.as_str()) {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED,
            "Missing or invalid API key",
        )
        .into_response();
    }
    {
        let mut inner = s.lock();
        if inner.suspended {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                codes::FORBIDDEN,
                "Partner account suspended",
            )
            .into_response();
        }
        if let Some(wait) = over_limit(
            &mut inner,
            &s.config.api_key,
            s.config.rate_limit_per_minute,
        ) {
            let secs = wait.as_millis().div_ceil(1000).max(1);
            return too_many(&secs.to_string());
        }
    }
    let resp = next.run(req).await;
    if resp.status().is_success() && s.lock().faults.take_malformed() {
        let mut bad = (StatusCode::OK, r#"{"success":true,"depositId":"dep_"#).into_response();
        bad.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return bad;
    }
    resp
}

/// Sliding 60 s window per key; `Some(wait)` when this request is over.
fn over_limit(inner: &mut Inner, key: &str, limit: u32) -> Option<Duration> {
    let now = Instant::now();
    let minute = Duration::from_secs(60);
    let seen = inner.window.entry(key.to_owned()).or_default();
    while seen
        .front()
        .is_some_and(|t| now.duration_since(*t) >= minute)
    {
        seen.pop_front();
    }
    if seen.len() >= limit as usize {
        let oldest = seen.front().copied().unwrap_or(now);
        return Some(minute.saturating_sub(now.duration_since(oldest)));
    }
    seen.push_back(now);
    None
}

fn too_many(retry_after: &str) -> Response {
    let mut resp = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        codes::RATE_LIMITED,
        "Too many requests — max 100/min per partner",
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(retry_after) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// Faults that hit after a money-moving POST was committed.
async fn after_commit(s: &Shared, resp: Response) -> Response {
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
    // The webhook goes first: the answer waits for it to be on its way.
    let delay = s.lock().unstated.answer_delay();
    tokio::time::sleep(delay).await;
    resp
}

async fn create_user(State(s): S, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let f = object(&headers, &body)?;
    let external = required(&f, "externalUserId")?;
    let username = required(&f, "username")?;
    wire::validate_username(&username).map_err(|e| ApiError::invalid(e.to_string()))?;
    let email = optional(&f, "email")?;
    let phone = optional(&f, "phone")?;
    let user = s
        .lock()
        .ledger
        .create_user(external, username, email, phone)?;
    Ok(Json(CreateUserResponse {
        success: true,
        user_id: user.user_id,
        username: user.username,
        balance: user.balance,
    })
    .into_response())
}

async fn user_balance(
    State(s): S,
    Path(user_id): Path<String>,
) -> Result<Json<UserBalance>, ApiError> {
    let inner = s.lock();
    let u = inner.ledger.user(&user_id)?;
    Ok(Json(UserBalance {
        success: true,
        user_id: u.user_id.clone(),
        balance: u.balance,
        deposit_balance: u.deposit_balance,
        withdraw_balance: u.withdraw_balance,
    }))
}

async fn create_deposit(
    State(s): S,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let f = object(&headers, &body)?;
    let new = NewTxn {
        kind: TxnKind::Deposit,
        user_id: required(&f, "userId")?,
        amount: amount(&f, "amount")?,
        payment_method: required(&f, "paymentMethod")?,
        payment_number: Some(required(&f, "paymentNumber")?),
        transaction_id: optional(&f, "transactionId")?,
        account_number: None,
    };
    if lost_first_time(&s, new.transaction_id.as_deref()) {
        return Ok(server::drop_connection());
    }
    let txn = commit(&s, new)?;
    let resp = Json(CreateDepositResponse {
        success: true,
        deposit_id: txn.id,
        status: txn.status,
        message: Some("Deposit submitted. Awaiting cashagent approval.".into()),
        estimated_time: Some("5-15 minutes".into()),
    });
    Ok(after_commit(&s, resp.into_response()).await)
}

/// The sandbox's `LOST` marker: the first call with such a TrxID never
/// arrives (see the module's documentation).
fn lost_first_time(s: &Shared, trx: Option<&str>) -> bool {
    match trx {
        Some(t) if t.starts_with("LOST") => s.lock().lost.insert(t.to_owned()),
        _ => false,
    }
}

async fn create_withdrawal(
    State(s): S,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let f = object(&headers, &body)?;
    let new = NewTxn {
        kind: TxnKind::Withdrawal,
        user_id: required(&f, "userId")?,
        amount: amount(&f, "amount")?,
        payment_method: required(&f, "paymentMethod")?,
        payment_number: None,
        transaction_id: None,
        account_number: Some(required(&f, "accountNumber")?),
    };
    let txn = commit(&s, new)?;
    let resp = Json(CreateWithdrawalResponse {
        success: true,
        withdrawal_id: txn.id,
        status: txn.status,
        message: Some("Withdrawal submitted. Cashagent will send within 15 minutes.".into()),
    });
    Ok(after_commit(&s, resp.into_response()).await)
}

fn commit(s: &Arc<Shared>, new: NewTxn) -> Result<SimTxn, ApiError> {
    let txn = s.lock().ledger.create_txn(new)?;
    schedule_settlement(s.clone(), txn.kind, txn.id.clone());
    Ok(txn)
}

async fn deposit_status(
    State(s): S,
    Path(id): Path<String>,
) -> Result<Json<DepositStatus>, ApiError> {
    let inner = s.lock();
    let t = inner.ledger.txn(TxnKind::Deposit, &id)?;
    Ok(Json(DepositStatus {
        success: true,
        deposit_id: t.id.clone(),
        status: t.status,
        amount: t.amount,
        user_id: t.user_id.clone(),
        completed_at: t.completed_at,
        agent_name: Some(t.agent_name.clone()),
    }))
}

async fn withdrawal_status(
    State(s): S,
    Path(id): Path<String>,
) -> Result<Json<WithdrawalStatus>, ApiError> {
    let inner = s.lock();
    let t = inner.ledger.txn(TxnKind::Withdrawal, &id)?;
    Ok(Json(WithdrawalStatus {
        success: true,
        withdrawal_id: t.id.clone(),
        status: t.status,
        amount: t.amount,
        completed_at: t.completed_at,
    }))
}

async fn payment_methods(State(s): S) -> Json<PaymentMethods> {
    let inner = s.lock();
    Json(PaymentMethods {
        success: true,
        methods: inner
            .ledger
            .methods
            .iter()
            .map(|m| m.method.clone())
            .collect(),
    })
}

async fn agent_number(
    State(s): S,
    Path(method): Path<String>,
) -> Result<Json<AgentNumber>, ApiError> {
    let inner = s.lock();
    let m = inner.ledger.agent_for(&method)?;
    Ok(Json(AgentNumber {
        success: true,
        method: m.method.method.clone(),
        account_number: m.account_number.clone(),
        agent_name: Some(m.agent_name.clone()),
        instructions: Some(m.instructions.clone()),
    }))
}
