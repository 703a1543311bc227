//! Every documented field rule, checked before anything is sent.
//!
//! A refused cashout costs nothing, but one Zimo-pagos has to refuse costs
//! a round trip and leaves the agent with the provider's wording; here each
//! failure names the field and says what a valid value looks like. The
//! same checks are what the simulator applies, so the two cannot drift.

use crate::assumptions::{ADDRESS_MAX, MEXICO};
use crate::iso;
use crate::mexico::{self, Endpoint};
use crate::wire::{CashoutRequest, present};
use chrono::NaiveDate;
use reqwest::Url;
use rust_decimal::Decimal;

/// Documented maximum lengths, in characters.
pub mod limits {
    pub const LOGIN: usize = 32;
    pub const PASS: usize = 32;
    pub const EXTERNAL_ID: usize = 100;
    pub const DOCUMENT_ID: usize = 40;
    pub const DOCUMENT_TYPE: usize = 15;
    pub const BENEFICIARY_NAME: usize = 100;
    pub const BENEFICIARY_LASTNAME: usize = 100;
    pub const EMAIL: usize = 100;
    pub const PHONE: usize = 20;
    pub const BANK_ACCOUNT: usize = 30;
    pub const BANK_BRANCH: usize = 15;
    pub const ACCOUNT_TYPE: usize = 1;
    pub const ADDRESS: usize = crate::assumptions::ADDRESS_MAX;
    pub const CITY: usize = 100;
    pub const POSTAL_CODE: usize = 20;
    pub const NOTIFICATION_URL: usize = 300;
    pub const COMMENTS: usize = 200;
}

/// Choices about validation that are the deployment's, not the document's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidationOptions {
    /// The document requires `notification_url` over HTTPS. Only a sandbox
    /// on this machine may turn this on, to accept `http://127.0.0.1`,
    /// `http://[::1]` and `http://localhost`. Default: off (strict).
    pub allow_http_loopback_notification_url: bool,
    /// Refuse an 18-digit Mexican account whose CLABE control digit is
    /// wrong (a typo would otherwise pay a stranger). Default: on.
    pub check_clabe_control_digit: bool,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        Self {
            allow_http_loopback_notification_url: false,
            check_clabe_control_digit: true,
        }
    }
}

/// Why a request was not sent. Each message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is required and must not be empty")]
    Required { field: &'static str },
    #[error("{field} must be at most {max} characters; it has {len}")]
    TooLong {
        field: &'static str,
        max: usize,
        len: usize,
    },
    #[error("country must be an ISO 3166-1 alpha-2 code in capitals, like MX; \"{value}\" is not")]
    Country { value: String },
    #[error("currency must be an ISO 4217 code in capitals, like MXN; \"{value}\" is not")]
    Currency { value: String },
    #[error("amount must be greater than zero; got {amount}")]
    AmountNotPositive { amount: Decimal },
    #[error("amount {amount} has more than 2 decimals; Zimo-pagos accepts at most 2")]
    AmountDecimals { amount: Decimal },
    #[error(
        "beneficiary_birthdate must be a real date written YYYYMMDD, like 19840521; got \"{value}\""
    )]
    Birthdate { value: String },
    #[error("email must be a valid email address, like name@example.com; got \"{value}\"")]
    Email { value: String },
    #[error("notification_url {reason}; got \"{url}\"")]
    NotificationUrl { url: String, reason: String },
    #[error(
        "bank_account is required for a cashout to Mexico: an 18-digit CLABE or a debit card number"
    )]
    MexicoAccountRequired,
    #[error("{field} {reason}")]
    MexicoAccountFormat { field: &'static str, reason: String },
    #[error(
        "this is a cashout to a Mexican debit card, but no card endpoint URL is configured for \
         this account; Zimo-pagos gives it on request (integration@zimo-pagos.com)"
    )]
    CardEndpointMissing,
    #[error("a status lookup needs a cashout_id or an external_id")]
    StatusQueryEmpty,
    #[error("Zimo-pagos {which} URL \"{url}\" is not usable: {reason}")]
    BaseUrl {
        which: &'static str,
        url: String,
        reason: String,
    },
}

impl ValidationError {
    /// The request field at fault, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        use ValidationError as V;
        match self {
            V::Required { field } | V::TooLong { field, .. } => Some(field),
            V::MexicoAccountFormat { field, .. } => Some(field),
            V::Country { .. } => Some("country"),
            V::Currency { .. } => Some("currency"),
            V::AmountNotPositive { .. } | V::AmountDecimals { .. } => Some("amount"),
            V::Birthdate { .. } => Some("beneficiary_birthdate"),
            V::Email { .. } => Some("email"),
            V::NotificationUrl { .. } => Some("notification_url"),
            V::MexicoAccountRequired | V::CardEndpointMissing => Some("bank_account"),
            V::StatusQueryEmpty | V::BaseUrl { .. } => None,
        }
    }
}

/// A required text field: present, not blank, at most `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Required { field });
    }
    max_len(field, value, max)
}

/// At most `max` characters.
pub fn max_len(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong { field, max, len });
    }
    Ok(())
}

/// A blank optional field is not sent, so it is not checked either.
fn optional(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<(), ValidationError> {
    match present(value) {
        Some(v) => max_len(field, v, max),
        None => Ok(()),
    }
}

/// Greater than zero, at most 2 decimals ("Big Decimal (up to 2 decimals)").
/// `10.500` is accepted: it is 10.5, and goes on the wire as `10.5`.
pub fn amount(value: &Decimal) -> Result<(), ValidationError> {
    if *value <= Decimal::ZERO {
        return Err(ValidationError::AmountNotPositive { amount: *value });
    }
    if value.normalize().scale() > 2 {
        return Err(ValidationError::AmountDecimals { amount: *value });
    }
    Ok(())
}

/// `YYYYMMDD` and a date that exists (no 19840231).
pub fn birthdate(value: &str) -> Result<(), ValidationError> {
    let bad = || ValidationError::Birthdate {
        value: value.to_owned(),
    };
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let part = |r: std::ops::Range<usize>| value[r].parse::<u32>().map_err(|_| bad());
    let year = i32::try_from(part(0..4)?).map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, part(4..6)?, part(6..8)?)
        .map(|_| ())
        .ok_or_else(bad)
}

/// One `@` with something on both sides, a dot inside the domain, no
/// spaces. Deliberately loose: the provider's own check is the final one.
pub fn email(value: &str) -> Result<(), ValidationError> {
    let ok = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ValidationError::Email {
            value: value.to_owned(),
        })
    }
}

/// "Valid URL over HTTPS", at most 300 characters.
pub fn notification_url(url: &str, opts: &ValidationOptions) -> Result<(), ValidationError> {
    required("notification_url", url, limits::NOTIFICATION_URL)?;
    let bad = |reason: &str| ValidationError::NotificationUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = Url::parse(url).map_err(|e| bad(&format!("is not a valid URL ({e})")))?;
    let host = parsed.host_str().ok_or_else(|| bad("must name a host"))?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if opts.allow_http_loopback_notification_url && is_loopback(host) => Ok(()),
        _ => Err(bad("must be a valid URL over HTTPS (https://…)")),
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "[::1]" | "localhost")
}

impl CashoutRequest {
    /// Checks every documented rule, in the document's field order, and
    /// returns the endpoint the request must go to.
    pub fn validate(&self, opts: &ValidationOptions) -> Result<Endpoint, ValidationError> {
        use limits as l;
        required("external_id", &self.external_id, l::EXTERNAL_ID)?;
        if !iso::is_country(&self.country) {
            return Err(ValidationError::Country {
                value: self.country.clone(),
            });
        }
        amount(&self.amount)?;
        if let Some(c) = present(&self.currency)
            && !iso::is_currency(c)
        {
            return Err(ValidationError::Currency { value: c.into() });
        }
        required("document_id", &self.document_id, l::DOCUMENT_ID)?;
        optional("document_type", &self.document_type, l::DOCUMENT_TYPE)?;
        required(
            "beneficiary_name",
            &self.beneficiary_name,
            l::BENEFICIARY_NAME,
        )?;
        optional(
            "beneficiary_lastname",
            &self.beneficiary_lastname,
            l::BENEFICIARY_LASTNAME,
        )?;
        if let Some(e) = present(&self.email) {
            max_len("email", e, l::EMAIL)?;
            email(e)?;
        }
        optional("phone", &self.phone, l::PHONE)?;
        optional("bank_account", &self.bank_account, l::BANK_ACCOUNT)?;
        optional("bank_branch", &self.bank_branch, l::BANK_BRANCH)?;
        optional("account_type", &self.account_type, l::ACCOUNT_TYPE)?;
        optional("address", &self.address, ADDRESS_MAX)?;
        optional("city", &self.city, l::CITY)?;
        optional("postal_code", &self.postal_code, l::POSTAL_CODE)?;
        if let Some(b) = present(&self.beneficiary_birthdate) {
            birthdate(b)?;
        }
        notification_url(&self.notification_url, opts)?;
        optional("comments", &self.comments, l::COMMENTS)?;
        if self.country != MEXICO {
            return Ok(Endpoint::Standard);
        }
        let account = present(&self.bank_account).unwrap_or_default();
        Ok(mexico::classify(account, opts.check_clabe_control_digit)?.endpoint())
    }
}
