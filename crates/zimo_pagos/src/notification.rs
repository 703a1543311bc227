//! Inbound notifications: form-encoded POSTs that say only "the status of
//! this cashout changed". By design they carry no status; the receiver
//! fetches it with the signed status call, so nothing in a notification is
//! trusted beyond the name of the cashout to look up.
//!
//! # What the core's handler must do
//!
//! 1. [`Notification::parse`] the raw body; if that fails, answer non-2xx
//!    (e.g. 400).
//! 2. Fetch the status with [`crate::Client::status`] and
//!    [`Notification::status_query`]; if that fails, answer non-2xx (e.g.
//!    503).
//! 3. Store the status durably, and only then answer 2xx.
//!
//! A 2xx ends Zimo-pagos' retries (documented: up to 5 more, 5 minutes
//! apart), so any failure while handling MUST be answered with a non-2xx
//! status; after the last retry only polling the status endpoint tells.
//! The `control` field is kept but not verified (see [`crate::assumptions`]).

use crate::assumptions::NOTIFICATION_CONTENT_TYPE;
use crate::wire::{CashoutId, StatusQuery};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::HashSet;

/// The documented fields, in the document's order.
const FIELDS: [&str; 7] = [
    "date",
    "bank_reference_id",
    "comments",
    "external_id",
    "control",
    "cashout_id",
    "status_reason",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error(
        "not a Zimo-pagos notification: Content-Type is \"{0}\", but notifications are \
         application/x-www-form-urlencoded"
    )]
    NotForm(String),
    #[error("Zimo-pagos notification is malformed: {0}")]
    Malformed(String),
    #[error("Zimo-pagos notification names no cashout: it has neither external_id nor cashout_id")]
    NoCashout,
}

/// One notification as received. Blank fields ("if any") are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notification {
    /// When the status changed, `YYYY-MM-DD HH:MM:SS` in GMT, as sent.
    pub date: String,
    pub bank_reference_id: Option<String>,
    pub comments: Option<String>,
    /// Our reference, as sent when creating the cashout.
    pub external_id: Option<String>,
    /// Kept as sent; not verified (the document gives no recipe).
    pub control: String,
    pub cashout_id: Option<CashoutId>,
    pub status_reason: Option<String>,
}

impl Notification {
    /// Reads a notification body. `content_type` is the request's header,
    /// if any; a body announced as something other than a form is refused.
    /// Unknown fields are ignored; a field sent twice is refused, since it
    /// could name two cashouts.
    pub fn parse(
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Notification, NotificationError> {
        if let Some(ct) = content_type {
            let essence = ct.split(';').next().unwrap_or_default().trim();
            if !essence.eq_ignore_ascii_case(NOTIFICATION_CONTENT_TYPE) {
                return Err(NotificationError::NotForm(ct.to_owned()));
            }
        }
        if std::str::from_utf8(body).is_err() {
            return Err(NotificationError::Malformed(
                "the body is not UTF-8 text".into(),
            ));
        }
        let mut n = Notification::default();
        let mut seen = HashSet::new();
        for (key, value) in form_urlencoded::parse(body) {
            let Some(field) = FIELDS.iter().find(|f| **f == key) else {
                continue;
            };
            if !seen.insert(*field) {
                return Err(NotificationError::Malformed(format!(
                    "{field} is sent twice"
                )));
            }
            let value = value.into_owned();
            let text = (!value.trim().is_empty()).then(|| value.clone());
            match *field {
                "date" => n.date = value,
                "bank_reference_id" => n.bank_reference_id = text,
                "comments" => n.comments = text,
                "external_id" => n.external_id = text,
                "control" => n.control = value,
                "status_reason" => n.status_reason = text,
                _ => n.cashout_id = text.map(|t| parse_id(&t)).transpose()?,
            }
        }
        if n.external_id.is_none() && n.cashout_id.is_none() {
            return Err(NotificationError::NoCashout);
        }
        Ok(n)
    }

    /// What to ask the status endpoint: by our `external_id` when given
    /// (the key our records use), else by `cashout_id`.
    pub fn status_query(&self) -> StatusQuery {
        match (&self.external_id, self.cashout_id) {
            (Some(e), _) => StatusQuery::by_external_id(e.clone()),
            (None, Some(id)) => StatusQuery::by_cashout_id(id),
            (None, None) => StatusQuery::default(),
        }
    }

    /// `date` as a UTC time, when it is in the documented format.
    pub fn changed_at(&self) -> Option<DateTime<Utc>> {
        NaiveDateTime::parse_from_str(self.date.trim(), "%Y-%m-%d %H:%M:%S")
            .ok()
            .map(|t| t.and_utc())
    }

    /// The body as Zimo-pagos sends it: every documented field, in order,
    /// blank ones empty. For simulators and tests.
    pub fn to_form_body(&self) -> Vec<u8> {
        let id = self.cashout_id.map(|c| c.to_string()).unwrap_or_default();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let values = [
            self.date.clone(),
            opt(&self.bank_reference_id),
            opt(&self.comments),
            opt(&self.external_id),
            self.control.clone(),
            id,
            opt(&self.status_reason),
        ];
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, v) in FIELDS.iter().zip(values.iter()) {
            form.append_pair(k, v);
        }
        form.finish().into_bytes()
    }
}

fn parse_id(text: &str) -> Result<CashoutId, NotificationError> {
    text.trim()
        .parse()
        .map(CashoutId)
        .map_err(|_| NotificationError::Malformed(format!("cashout_id \"{text}\" is not a number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's field list, as its example prints it.
    const EXAMPLE: &str = "date=2020-03-12%2020%3A26%3A11&bank_reference_id=&comments=\
        &external_id=cashoutV35381&control=A4CFF64E78C4BD01F8BFCA4AFF04632EC4A33CC61BD6BBD156BA1289897892EB\
        &cashout_id=60067&status_reason=";
    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    #[test]
    fn a_documented_notification_parses_into_a_status_lookup() {
        let n = Notification::parse(FORM, EXAMPLE.as_bytes()).unwrap();
        assert_eq!(n.external_id.as_deref(), Some("cashoutV35381"));
        assert_eq!(n.cashout_id, Some(CashoutId(60067)));
        assert_eq!(n.bank_reference_id, None);
        assert_eq!(n.date, "2020-03-12 20:26:11");
        assert_eq!(
            n.changed_at().unwrap().to_rfc3339(),
            "2020-03-12T20:26:11+00:00"
        );
        assert_eq!(
            n.status_query(),
            StatusQuery::by_external_id("cashoutV35381")
        );
    }

    #[test]
    fn it_round_trips_through_the_wire_form() {
        let n = Notification::parse(FORM, EXAMPLE.as_bytes()).unwrap();
        let again = Notification::parse(FORM, &n.to_form_body()).unwrap();
        assert_eq!(again, n);
        let body = String::from_utf8(n.to_form_body()).unwrap();
        assert!(
            body.starts_with("date=2020-03-12+20%3A26%3A11&bank_reference_id=&"),
            "{body}"
        );
    }

    #[test]
    fn a_notification_without_a_cashout_or_with_a_field_twice_is_refused() {
        assert_eq!(
            Notification::parse(FORM, b"date=x&control=y"),
            Err(NotificationError::NoCashout)
        );
        let twice = Notification::parse(FORM, b"external_id=a&external_id=b").unwrap_err();
        assert!(twice.to_string().contains("external_id is sent twice"));
        let bad_id = Notification::parse(FORM, b"cashout_id=12a").unwrap_err();
        assert!(bad_id.to_string().contains("cashout_id"));
    }

    #[test]
    fn json_is_not_a_notification_but_a_missing_content_type_is_tolerated() {
        let e = Notification::parse(Some("application/json"), b"{}").unwrap_err();
        assert!(matches!(e, NotificationError::NotForm(_)));
        let ct = Some("application/x-www-form-urlencoded; charset=UTF-8");
        assert!(Notification::parse(ct, b"cashout_id=7").is_ok());
        let n = Notification::parse(None, b"cashout_id=7&extra=1").unwrap();
        assert_eq!(n.status_query(), StatusQuery::by_cashout_id(CashoutId(7)));
        assert!(n.changed_at().is_none());
    }
}
