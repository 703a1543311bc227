//! Checks made before anything is sent, each naming the field at fault.
//!
//! Paykassma runs on Laravel, which trims strings on arrival: an id sent
//! as " 123" would be stored as "123" (so a later lookup by our id finds
//! nothing) and a signed withdrawal would fail its signature. The document
//! says "there should be no spaces at the beginning and end"; we refuse
//! such values everywhere instead of trimming them silently.

use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is required and must not be empty")]
    Empty { field: String },
    #[error("{field} is required for {system}")]
    RequiredFor { field: String, system: String },
    #[error(
        "{field} must not start or end with spaces (\"{value}\"): remove them, Paykassma would \
         store a different value"
    )]
    Spaces { field: String, value: String },
    #[error("{field} must be at most {max} characters; it has {len}")]
    TooLong {
        field: String,
        max: usize,
        len: usize,
    },
    #[error("{field} \"{value}\" is not valid: it must be {rule}")]
    Format {
        field: String,
        value: String,
        rule: String,
    },
    #[error("{field} must be greater than zero, got {amount}")]
    NotPositive { field: String, amount: String },
    #[error("{field} must be a whole number for Paykassma, got {amount}")]
    NotWhole { field: String, amount: String },
    #[error("{field} {amount} must be a multiple of {multiple} for {system}")]
    NotMultiple {
        field: String,
        amount: u64,
        multiple: u64,
        system: String,
    },
    #[error("{field} {amount} is outside the {system} limits: minimum {min}, maximum {max}")]
    OutOfRange {
        field: String,
        system: String,
        amount: String,
        min: String,
        max: String,
    },
    #[error("{field} is not a usable URL (\"{value}\"): {reason}")]
    Url {
        field: String,
        value: String,
        reason: String,
    },
    #[error("the screenshot is not usable: {reason}")]
    Screenshot { reason: String },
    #[error("{what} contains characters that cannot be sent; copy it again from Paykassma")]
    Unusable { what: &'static str },
    #[error("Paykassma base URL \"{url}\" is not usable: {reason}")]
    BaseUrl { url: String, reason: String },
}

impl ValidationError {
    /// The request field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Empty { field }
            | Self::RequiredFor { field, .. }
            | Self::Spaces { field, .. }
            | Self::TooLong { field, .. }
            | Self::Format { field, .. }
            | Self::NotPositive { field, .. }
            | Self::NotWhole { field, .. }
            | Self::NotMultiple { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::Url { field, .. } => Some(field),
            Self::Screenshot { .. } => Some("screenshot"),
            Self::Unusable { .. } | Self::BaseUrl { .. } => None,
        }
    }
}

/// Non-empty, without surrounding spaces, at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty {
            field: field.to_owned(),
        });
    }
    no_spaces(field, value)?;
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong {
            field: field.to_owned(),
            max,
            len,
        });
    }
    Ok(())
}

/// `None` passes; `Some` must pass [`text`].
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<(), ValidationError> {
    value.map_or(Ok(()), |v| text(field, v, max))
}

/// No leading or trailing whitespace (an empty value passes).
pub fn no_spaces(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim() != value {
        return Err(ValidationError::Spaces {
            field: field.to_owned(),
            value: value.to_owned(),
        });
    }
    Ok(())
}

fn format(field: &str, value: &str, rule: &str) -> ValidationError {
    ValidationError::Format {
        field: field.to_owned(),
        value: value.to_owned(),
        rule: rule.to_owned(),
    }
}

/// `string (3)` currency code: three capital letters, e.g. INR.
pub fn currency(field: &str, value: &str) -> Result<(), ValidationError> {
    no_spaces(field, value)?;
    if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format(field, value, "a 3-letter currency code such as INR"))
    }
}

/// `string (2)` interface language: two lowercase letters, e.g. en.
pub fn language(field: &str, value: &str) -> Result<(), ValidationError> {
    no_spaces(field, value)?;
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(())
    } else {
        Err(format(field, value, "a 2-letter language code such as en"))
    }
}

/// Digits only, `min..=max` of them, starting with `prefix` when given.
pub fn digits(
    field: &str,
    value: &str,
    prefix: Option<&str>,
    min: usize,
    max: Option<usize>,
) -> Result<(), ValidationError> {
    no_spaces(field, value)?;
    let count_ok = value.len() >= min && max.is_none_or(|m| value.len() <= m);
    let prefix_ok = prefix.is_none_or(|p| value.starts_with(p));
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) && count_ok && prefix_ok {
        return Ok(());
    }
    let count = match max {
        Some(m) if m == min => format!("{min} digits"),
        Some(m) => format!("{min} to {m} digits"),
        None if min <= 1 => "digits only".to_owned(),
        None => format!("at least {min} digits"),
    };
    let rule = match prefix {
        Some(p) => format!("{count} starting with {p}"),
        None => count,
    };
    Err(format(field, value, &rule))
}

/// Letters and digits only, exactly `len` of them (an IFSC code is 11).
pub fn alphanumeric(field: &str, value: &str, len: usize) -> Result<(), ValidationError> {
    no_spaces(field, value)?;
    if value.len() == len && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format(
            field,
            value,
            &format!("{len} letters and digits, without spaces or dashes"),
        ))
    }
}

/// A plausible e-mail address: one '@' with text on both sides.
pub fn email(field: &str, value: &str) -> Result<(), ValidationError> {
    no_spaces(field, value)?;
    match value.split_once('@') {
        Some((user, host)) if !user.is_empty() && host.contains('.') && !host.contains('@') => {
            Ok(())
        }
        _ => Err(format(field, value, "an e-mail address")),
    }
}

/// An absolute http(s) URL.
pub fn url(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty {
            field: field.to_owned(),
        });
    }
    no_spaces(field, value)?;
    let bad = |reason: &str| ValidationError::Url {
        field: field.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(value).map_err(|e| bad(&e.to_string()))?;
    if matches!(parsed.scheme(), "http" | "https") {
        Ok(())
    } else {
        Err(bad("it must start with https://"))
    }
}

/// Greater than zero.
pub fn positive(field: &str, amount: &Decimal) -> Result<(), ValidationError> {
    if *amount > Decimal::ZERO {
        Ok(())
    } else {
        Err(ValidationError::NotPositive {
            field: field.to_owned(),
            amount: amount.to_string(),
        })
    }
}

/// The document types the withdrawal `amount` as `int`: a whole, positive
/// amount, refused (never rounded) otherwise.
pub fn whole_amount(field: &str, amount: &Decimal) -> Result<u64, ValidationError> {
    positive(field, amount)?;
    let not_whole = || ValidationError::NotWhole {
        field: field.to_owned(),
        amount: amount.to_string(),
    };
    if !amount.fract().is_zero() {
        return Err(not_whole());
    }
    u64::try_from(amount.trunc()).map_err(|_| not_whole())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn surrounding_spaces_are_refused_naming_the_field() {
        let e = text("label", " 55", 190).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("label must not start or end with spaces")
        );
        assert!(text("label", "5 5", 190).is_ok(), "inner spaces are fine");
        assert_eq!(
            text("label", "  ", 190).unwrap_err().to_string(),
            "label is required and must not be empty"
        );
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(text("label", &"ব".repeat(190), 190).is_ok());
        assert_eq!(
            text("custom_transaction_id", &"x".repeat(65), 64)
                .unwrap_err()
                .to_string(),
            "custom_transaction_id must be at most 64 characters; it has 65"
        );
    }

    #[test]
    fn digit_masks_name_the_rule() {
        assert!(digits("account_number", "01770618575", Some("01"), 11, Some(11)).is_ok());
        let e = digits("account_number", "0177061857", Some("01"), 11, Some(11)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "account_number \"0177061857\" is not valid: it must be 11 digits starting with 01"
        );
        assert!(digits("a", "02770618575", Some("01"), 11, Some(11)).is_err());
        assert!(digits("a", "0177061857x", None, 1, None).is_err());
        assert!(digits("a", "5", None, 1, None).is_ok());
    }

    #[test]
    fn codes_urls_and_emails_have_their_shapes() {
        assert!(currency("currency", "INR").is_ok());
        assert!(currency("currency", "inr").is_err());
        assert!(currency("currency", "RUPEE").is_err());
        assert!(language("language", "en").is_ok());
        assert!(language("language", "eng").is_err());
        assert!(url("redirect_url", "https://google.com").is_ok());
        assert!(url("redirect_url", "google.com").is_err());
        assert!(url("redirect_url", "ftp://x.y").is_err());
        assert!(email("account_email", "a@b.co").is_ok());
        assert!(email("account_email", "a.b.co").is_err());
        assert!(alphanumeric("bank_code", "MAHB0001821", 11).is_ok());
        assert!(alphanumeric("bank_code", "MAHB-001821", 11).is_err());
        assert!(alphanumeric("bank_code", "MAHB000182", 11).is_err());
    }

    #[test]
    fn a_withdrawal_amount_must_be_whole_and_is_never_rounded() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(whole_amount("amount", &d("1000")), Ok(1000));
        assert_eq!(whole_amount("amount", &d("1000.00")), Ok(1000));
        assert_eq!(
            whole_amount("amount", &d("1000.5"))
                .unwrap_err()
                .to_string(),
            "amount must be a whole number for Paykassma, got 1000.5"
        );
        assert!(matches!(
            whole_amount("amount", &d("0")),
            Err(ValidationError::NotPositive { .. })
        ));
    }
}
