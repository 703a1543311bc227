//! Exact money. Amounts are `Decimal` with a currency whose scale is enforced
//! (fiat 2 places, crypto 8); floats never hold money anywhere in Cashdesk.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("\"{0}\" is not a currency code (3 to 10 capital letters or digits)")]
    BadCurrency(String),
    #[error(
        "\"{0}\" is not an amount: use digits with an optional decimal point, e.g. 500 or 12.50"
    )]
    BadAmount(String),
    #[error("{currency} amounts have at most {scale} decimal places; {amount} has more")]
    TooPrecise {
        amount: String,
        currency: String,
        scale: u32,
    },
    #[error("amount must be greater than zero")]
    NotPositive,
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(String, String),
    #[error("amount out of range")]
    Overflow,
}

/// Codes whose amounts carry 8 decimal places.
const CRYPTO: &[&str] = &[
    "BTC", "ETH", "USDT", "USDC", "TRX", "BNB", "LTC", "SOL", "TON", "DOGE",
];
/// Codes with no minor unit.
const ZERO_DECIMAL: &[&str] = &["JPY", "KRW", "VND", "CLP", "IDR"];
/// Codes written with South Asian digit grouping (1,00,000), as the
/// window groups them too.
const LAKH_GROUPING: &[&str] = &["INR", "BDT", "NPR", "PKR"];

/// An ISO 4217 code or a crypto ticker.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(export, type = "string")]
pub struct Currency(String);

impl Currency {
    pub fn new(code: &str) -> Result<Self, MoneyError> {
        let ok = (3..=10).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if ok {
            Ok(Self(code.to_owned()))
        } else {
            Err(MoneyError::BadCurrency(code.to_owned()))
        }
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    pub fn is_crypto(&self) -> bool {
        CRYPTO.contains(&self.0.as_str())
    }

    /// Decimal places an amount in this currency may carry.
    pub fn scale(&self) -> u32 {
        if self.is_crypto() {
            8
        } else if ZERO_DECIMAL.contains(&self.0.as_str()) {
            0
        } else {
            2
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A positive, exact amount in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Money {
    /// Exact decimal as a string ("500.00"), never a JSON number.
    #[serde(with = "rust_decimal::serde::str")]
    #[ts(type = "string")]
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    /// Validates scale and sign; the amount is stored rescaled to the
    /// currency's places so "500" and "500.00" are the same money.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        if amount <= Decimal::ZERO {
            return Err(MoneyError::NotPositive);
        }
        let scale = currency.scale();
        let normal = amount.normalize();
        if normal.scale() > scale {
            return Err(MoneyError::TooPrecise {
                amount: amount.to_string(),
                currency: currency.0,
                scale,
            });
        }
        let mut amount = normal;
        amount.rescale(scale);
        Ok(Self { amount, currency })
    }

    /// Parses what a person types: digits, optional point, no exponent, no
    /// thousands separators (ambiguous between locales, so refused).
    pub fn parse(amount: &str, currency: &str) -> Result<Self, MoneyError> {
        let currency = Currency::new(currency.trim())?;
        let text = amount.trim();
        let well_formed = !text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit() || c == '.')
            && text.matches('.').count() <= 1
            && text.chars().any(|c| c.is_ascii_digit());
        if !well_formed {
            return Err(MoneyError::BadAmount(amount.to_owned()));
        }
        let value =
            Decimal::from_str(text).map_err(|_| MoneyError::BadAmount(amount.to_owned()))?;
        Self::new(value, currency)
    }

    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let sum = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Money::new(sum, self.currency.clone())
    }

    /// `None` when the result would not be a positive amount.
    pub fn checked_sub(&self, other: &Money) -> Result<Option<Money>, MoneyError> {
        self.same_currency(other)?;
        let diff = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(diff, self.currency.clone()).ok())
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(
                self.currency.0.clone(),
                other.currency.0.clone(),
            ))
        }
    }

    /// The amount with digit grouping and the currency code: "1,50,000.00 BDT",
    /// "12,500.00 MXN", "0.00010000 BTC".
    pub fn display(&self) -> String {
        display_amount(self.amount, &self.currency)
    }
}

/// Any amount in `currency` as the desk shows money: the currency's places
/// (more when the amount has them), grouped, signed. For figures that are
/// not a request's money: balances (may be negative), savings (may be 0).
pub fn display_amount(amount: Decimal, currency: &Currency) -> String {
    let mut a = amount.abs();
    if a.scale() < currency.scale() {
        a.rescale(currency.scale());
    }
    let text = a.to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let grouped = group_digits(int, LAKH_GROUPING.contains(&currency.code()));
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f} {currency}"),
        None => format!("{sign}{grouped} {currency}"),
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn group_digits(int: &str, lakh: bool) -> String {
    let digits: Vec<char> = int.chars().collect();
    let mut groups: Vec<String> = Vec::new();
    let mut end = digits.len();
    let mut size = 3;
    while end > 0 {
        let start = end.saturating_sub(size);
        groups.push(digits[start..end].iter().collect());
        end = start;
        if lakh {
            size = 2;
        }
    }
    groups.reverse();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(a: &str, c: &str) -> Money {
        Money::parse(a, c).unwrap()
    }

    #[test]
    fn balances_and_savings_show_zero_and_negative_figures() {
        let bdt = Currency::new("BDT").unwrap();
        assert_eq!(display_amount(Decimal::ZERO, &bdt), "0.00 BDT");
        assert_eq!(
            display_amount(Decimal::new(-15000050, 2), &bdt),
            "-1,50,000.50 BDT"
        );
        let pkr = Currency::new("PKR").unwrap();
        assert_eq!(
            display_amount(Decimal::new(150_000, 0), &pkr),
            "1,50,000.00 PKR"
        );
        let usdt = Currency::new("USDT").unwrap();
        assert_eq!(display_amount(Decimal::new(5, 1), &usdt), "0.50000000 USDT");
    }

    #[test]
    fn amounts_are_rescaled_to_the_currency() {
        assert_eq!(m("500", "BDT").amount.to_string(), "500.00");
        assert_eq!(m("0.0001", "BTC").amount.to_string(), "0.00010000");
        assert_eq!(m("500", "BDT"), m("500.00", "BDT"));
    }

    #[test]
    fn too_many_places_are_refused_not_rounded() {
        assert!(matches!(
            Money::parse("1.005", "USD"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            Money::parse("0.000000001", "USDT"),
            Err(MoneyError::TooPrecise { .. })
        ));
        // trailing zeros beyond the scale are not extra precision
        assert_eq!(m("1.5000", "USD").amount.to_string(), "1.50");
    }

    #[test]
    fn what_people_type_wrongly_is_refused() {
        for bad in ["", "abc", "1,000", "1e3", "-5", "1.2.3", ".", " "] {
            assert!(Money::parse(bad, "BDT").is_err(), "{bad:?} must be refused");
        }
        assert!(matches!(
            Money::parse("0", "BDT"),
            Err(MoneyError::NotPositive)
        ));
        assert!(Money::parse("5", "bdt").is_err());
    }

    #[test]
    fn display_groups_digits_per_currency() {
        assert_eq!(m("500", "BDT").display(), "500.00 BDT");
        assert_eq!(m("150000", "BDT").display(), "1,50,000.00 BDT");
        assert_eq!(m("12345678.9", "INR").display(), "1,23,45,678.90 INR");
        assert_eq!(m("1234567.5", "PKR").display(), "12,34,567.50 PKR");
        assert_eq!(m("1234567.5", "MXN").display(), "1,234,567.50 MXN");
        assert_eq!(m("0.0001", "BTC").display(), "0.00010000 BTC");
        assert_eq!(m("1500", "JPY").display(), "1,500 JPY");
    }

    #[test]
    fn arithmetic_is_exact_and_currency_safe() {
        // 0.1 + 0.2 is exactly 0.3 here, unlike binary floating point
        let sum = m("0.1", "USD").checked_add(&m("0.2", "USD")).unwrap();
        assert_eq!(sum, m("0.3", "USD"));
        assert!(m("1", "USD").checked_add(&m("1", "BDT")).is_err());
        assert_eq!(
            m("5", "USD").checked_sub(&m("2.5", "USD")).unwrap(),
            Some(m("2.5", "USD"))
        );
        assert_eq!(m("5", "USD").checked_sub(&m("5", "USD")).unwrap(), None);
    }

    #[test]
    fn serializes_amount_as_a_string() {
        let json = serde_json::to_string(&m("500", "BDT")).unwrap();
        assert_eq!(json, r#"{"amount":"500.00","currency":"BDT"}"#);
        let back: Money = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m("500", "BDT"));
    }
}
