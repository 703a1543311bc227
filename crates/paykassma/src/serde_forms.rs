//! Amounts, ids and date-times as the document prints them: amounts are
//! exact decimals read from JSON numbers (never through a float) and
//! written back with their digits; ids may be strings or numbers.

use crate::assumptions::DATETIME_FORMAT;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};
use std::collections::BTreeMap;

/// An id Paykassma may print as a JSON string or a number.
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected an id, got {other}"
        ))),
    }
}

/// An exact decimal from a JSON number (or a numeric string).
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = match Value::deserialize(d)? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s,
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected an amount, got {other}"
            )));
        }
    };
    Decimal::from_str_exact(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| serde::de::Error::custom(format!("{text} is not a usable amount")))
}

pub(crate) fn decimal_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Decimal>, D::Error> {
    let raw = BTreeMap::<String, Number>::deserialize(d)?;
    raw.into_iter()
        .map(|(k, n)| {
            decimal(Value::Number(n))
                .map(|v| (k, v))
                .map_err(serde::de::Error::custom)
        })
        .collect()
}

/// Amounts go out as JSON numbers with their exact digits.
pub(crate) fn number<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    rust_decimal::serde::arbitrary_precision::serialize(d, s)
}

struct Num<'a>(&'a Decimal);

impl Serialize for Num<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        number(self.0, s)
    }
}

pub(crate) fn number_map<S: Serializer>(
    m: &BTreeMap<String, Decimal>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, &Num(v))?;
    }
    map.end()
}

pub(crate) fn datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => NaiveDateTime::parse_from_str(&s, DATETIME_FORMAT)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("date-time \"{s}\": {e}"))),
    }
}

pub(crate) fn datetime_out<S: Serializer>(
    v: &Option<NaiveDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(t) => s.serialize_str(&t.format(DATETIME_FORMAT).to_string()),
        None => s.serialize_none(),
    }
}

/// An all-digit id goes out as a JSON number, as the document prints it.
pub(crate) fn numeric_id<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    match v.parse::<u64>() {
        Ok(n) => s.serialize_u64(n),
        Err(_) => s.serialize_str(v),
    }
}

pub(crate) fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => id(v).map(Some).map_err(serde::de::Error::custom),
    }
}
