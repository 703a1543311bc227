//! The simulated Zimo-pagos ledger: cashouts, their status history, and
//! the rules the document states (unique `external_id`, on hold, final
//! statuses never change).
//!
//! Every function here runs under one lock and does no I/O, so a request
//! is either fully committed or not at all.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cashdesk_zimo_pagos::{
    CashoutId, CashoutRequest, CashoutStatus, Endpoint, ErrorBody, Status, StatusQuery,
};
use chrono::{DateTime, SubsecRound, Utc};

/// An error in Zimo-pagos' own shape: `{code, message[, reason, reason_code]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
                reason: None,
                reason_code: None,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// A cashout as the simulator holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimCashout {
    pub cashout_id: CashoutId,
    /// The endpoint (host) that accepted it.
    pub endpoint: Endpoint,
    /// Every field as received (`login`/`pass` are not kept).
    pub request: CashoutRequest,
    pub status: Status,
    /// Set when rejected.
    pub rejection_code: Option<i64>,
    pub rejection_reason: Option<String>,
    /// Set once delivered to the (simulated) bank.
    pub bank_reference_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was made, for lookups that lag behind (see [`crate::Unstated`]).
    pub made: std::time::Instant,
    /// Every status it has had, oldest first, with when it got it.
    pub history: Vec<(Status, DateTime<Utc>)>,
}

impl SimCashout {
    /// The status call's answer for this cashout.
    pub fn status_body(&self) -> CashoutStatus {
        let description = match self.status {
            Status::Pending => "Pending",
            Status::Completed => "Completed",
            Status::Cancelled => "Cancelled",
            Status::Rejected => "Rejected",
            Status::Delivered => "Delivered",
            Status::OnHold => "On hold",
        };
        CashoutStatus {
            status: self.status,
            description: description.to_owned(),
            rejection_code: self.rejection_code,
            rejection_reason: self.rejection_reason.clone(),
        }
    }
}

/// One attempt to deliver a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimNotification {
    pub cashout_id: CashoutId,
    pub external_id: String,
    pub url: String,
    /// The form body sent.
    pub body: Vec<u8>,
    /// 1 for the first attempt, up to 1 + the configured retries.
    pub attempt: u32,
    /// The receiver's HTTP status; `None` when it could not be reached.
    pub answered: Option<u16>,
}

impl SimNotification {
    pub fn accepted(&self) -> bool {
        self.answered.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Why a bank rejected a cashout: (rejection_code, rejection_reason).
pub type Rejection = (i64, String);

pub struct Ledger {
    next_id: u64,
    pub cashouts: Vec<SimCashout>,
}

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

impl Ledger {
    pub fn new(first_id: u64) -> Self {
        Self {
            next_id: first_id,
            cashouts: Vec::new(),
        }
    }

    /// Commits a validated cashout: pending, or on hold when asked. An
    /// `external_id` seen before is refused with `duplicate_code`, unless
    /// the simulator plays a provider that `pays_repeats`.
    pub fn create(
        &mut self,
        request: CashoutRequest,
        endpoint: Endpoint,
        duplicate_code: i64,
        pays_repeats: bool,
    ) -> Result<SimCashout, ApiError> {
        if !pays_repeats
            && self
                .cashouts
                .iter()
                .any(|c| c.request.external_id == request.external_id)
        {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                duplicate_code,
                "External ID already used",
            ));
        }
        let status = if request.on_hold {
            Status::OnHold
        } else {
            Status::Pending
        };
        let at = now();
        let cashout = SimCashout {
            cashout_id: CashoutId(self.next_id),
            endpoint,
            request,
            status,
            rejection_code: None,
            rejection_reason: None,
            bank_reference_id: None,
            created_at: at,
            made: std::time::Instant::now(),
            history: vec![(status, at)],
        };
        self.next_id += 1;
        self.cashouts.push(cashout.clone());
        Ok(cashout)
    }

    /// The cashout a status query names. With both ids, both must match.
    pub fn find(&self, q: &StatusQuery) -> Option<&SimCashout> {
        self.cashouts.iter().find(|c| {
            q.cashout_id.is_none_or(|id| id == c.cashout_id)
                && q.external_id
                    .as_deref()
                    .is_none_or(|e| e == c.request.external_id)
                && (q.cashout_id.is_some() || q.external_id.is_some())
        })
    }

    pub fn get(&self, id: CashoutId) -> Option<&SimCashout> {
        self.cashouts.iter().find(|c| c.cashout_id == id)
    }

    /// Moves `id` from `from` (any non-final status when `None`) to `to`.
    /// Returns the updated cashout, or `None` when it was not in `from`,
    /// is final already, or is in `to` already.
    pub fn transition(
        &mut self,
        id: CashoutId,
        from: Option<Status>,
        to: Status,
        rejection: Option<Rejection>,
    ) -> Option<SimCashout> {
        let c = self.cashouts.iter_mut().find(|c| c.cashout_id == id)?;
        let allowed = match from {
            Some(f) => c.status == f,
            None => !c.status.is_final(),
        };
        if !allowed || c.status == to {
            return None;
        }
        c.status = to;
        c.history.push((to, now()));
        if to == Status::Delivered && c.bank_reference_id.is_none() {
            c.bank_reference_id = Some(format!("ZPB{:010}", c.cashout_id.0));
        }
        if to == Status::Rejected {
            let (code, reason) = rejection.unwrap_or((808, "Other error".to_owned()));
            c.rejection_code = Some(code);
            c.rejection_reason = Some(reason);
        }
        Some(c.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(external_id: &str, on_hold: bool) -> CashoutRequest {
        CashoutRequest {
            external_id: external_id.into(),
            on_hold,
            ..CashoutRequest::default()
        }
    }

    #[test]
    fn an_external_id_is_accepted_once() {
        let mut l = Ledger::new(1000);
        let a = l
            .create(req("x", false), Endpoint::Standard, 511, false)
            .unwrap();
        assert_eq!((a.cashout_id, a.status), (CashoutId(1000), Status::Pending));
        let dup = l
            .create(req("x", false), Endpoint::DebitCard, 511, false)
            .unwrap_err();
        assert_eq!(dup.body.code, 511);
        assert_eq!(l.cashouts.len(), 1);
    }

    #[test]
    fn on_hold_cashouts_start_on_hold_and_final_statuses_never_change() {
        let mut l = Ledger::new(1);
        let c = l
            .create(req("h", true), Endpoint::Standard, 511, false)
            .unwrap();
        assert_eq!(c.status, Status::OnHold);
        let id = c.cashout_id;
        assert!(
            l.transition(id, Some(Status::Pending), Status::Delivered, None)
                .is_none()
        );
        assert!(
            l.transition(id, Some(Status::OnHold), Status::Pending, None)
                .is_some()
        );
        let r = l.transition(
            id,
            None,
            Status::Rejected,
            Some((800, "Invalid bank account".into())),
        );
        assert_eq!(r.unwrap().rejection_code, Some(800));
        assert!(l.transition(id, None, Status::Completed, None).is_none());
        let statuses: Vec<Status> = l.get(id).unwrap().history.iter().map(|h| h.0).collect();
        assert_eq!(
            statuses,
            [Status::OnHold, Status::Pending, Status::Rejected]
        );
    }

    #[test]
    fn a_query_with_both_ids_needs_both_to_match() {
        let mut l = Ledger::new(7);
        l.create(req("a", false), Endpoint::Standard, 511, false)
            .unwrap();
        let both = |id, e: &str| StatusQuery {
            cashout_id: Some(CashoutId(id)),
            external_id: Some(e.into()),
        };
        assert!(l.find(&both(7, "a")).is_some());
        assert!(l.find(&both(7, "b")).is_none());
        assert!(l.find(&StatusQuery::by_external_id("a")).is_some());
        assert!(l.find(&StatusQuery::default()).is_none());
    }
}
