//! The PHP semantics Paykassma's signature depends on, reproduced exactly.
//!
//! Paykassma (PHP) decodes our JSON body with `json_decode($body, true)`,
//! sorts the top level with `ksort()` and glues values with `implode()`.
//! So a value is signed in the form PHP prints the *decoded* value: `true`
//! is "1", `false` and `null` are "", integers print their digits and
//! floats print with `precision = 14` (`1.5`, `1.0E+25`, `0.3`). Keys are
//! compared as `ksort` does in PHP 8: numerically when both look like
//! numbers, byte by byte otherwise. Everything here is proved against the
//! `php` binary in `tests/signature_php.rs`.

use serde_json::{Number, Value};
use std::cmp::Ordering;

/// What `implode()` appends for `value` (arrays are glued recursively in
/// their own order, as the document's `multiImplode` does).
pub fn push_string_form(out: &mut Vec<u8>, value: &Value, glue: &[u8]) {
    match value {
        Value::Null | Value::Bool(false) => {}
        Value::Bool(true) => out.push(b'1'),
        Value::Number(n) => out.extend_from_slice(number(n).as_bytes()),
        Value::String(s) => out.extend_from_slice(s.as_bytes()),
        Value::Array(items) => implode(out, items.iter(), glue),
        Value::Object(map) => implode(out, map.values(), glue),
    }
}

fn implode<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a Value>, glue: &[u8]) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.extend_from_slice(glue);
        }
        push_string_form(out, item, glue);
    }
}

/// A JSON number as PHP prints it after `json_decode`: an integer literal
/// that fits 64 bits stays an integer, anything else becomes a double.
pub fn number(n: &Number) -> String {
    let literal = n.to_string();
    let integral = !literal.contains(['.', 'e', 'E']);
    if integral && let Ok(i) = literal.parse::<i64>() {
        return i.to_string();
    }
    // serde_json only holds valid JSON numbers, which always parse.
    float(literal.parse::<f64>().unwrap_or(f64::NAN))
}

/// `(string) $float` with PHP's default `precision = 14` (zend_gcvt over
/// zend_dtoa mode 2, including its quirks).
pub fn float(value: f64) -> String {
    if value.is_nan() {
        return "NAN".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-INF" } else { "INF" }.into();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    let (digits, decpt) = digits14(value.abs());
    format!("{sign}{}", layout(&digits, decpt))
}

/// Significant digits (at most 14) and the decimal point position, as
/// zend_dtoa(mode 2, 14) returns them.
fn digits14(abs: f64) -> (String, i32) {
    if abs == 0.0 {
        return ("0".into(), 1);
    }
    // zend_dtoa's "small integer" path: an exact tie on an integer below
    // 1e15 that rounds down keeps its trailing zeros ("1.0000000000000E+14").
    if abs.fract() == 0.0 && (1e14..1e15).contains(&abs) {
        let text = format!("{abs:.0}");
        let (head, last) = text.split_at(14);
        let even = head.as_bytes()[13].is_multiple_of(2);
        if last == "5" && even {
            return (head.to_owned(), 15);
        }
    }
    // Correctly rounded, ties to even, as zend_dtoa's exact path.
    let sci = format!("{abs:.13e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let trimmed = digits.trim_end_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    (trimmed.to_owned(), exp + 1)
}

fn layout(digits: &str, decpt: i32) -> String {
    let exponential = if decpt < 0 { decpt < -3 } else { decpt > 14 };
    if exponential {
        let e = decpt - 1;
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let sign = if e < 0 { '-' } else { '+' };
        return format!("{first}.{rest}E{sign}{}", e.abs());
    }
    if decpt <= 0 {
        let zeros = "0".repeat(decpt.unsigned_abs() as usize);
        return format!("0.{zeros}{digits}");
    }
    let point = decpt as usize;
    if digits.len() <= point {
        format!("{digits}{}", "0".repeat(point - digits.len()))
    } else {
        format!("{}.{}", &digits[..point], &digits[point..])
    }
}

/// A key or string as `is_numeric_string` reads it: integer or double.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Numeric {
    Long(i64),
    Double(f64),
}

fn numeric(s: &str) -> Option<Numeric> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}');
    let t = s.trim_start_matches(ws).trim_end_matches(ws);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !all_digits(e) {
            return None;
        }
    }
    if exponent.is_none()
        && !mantissa.contains('.')
        && let Ok(l) = t.parse::<i64>()
    {
        return Some(Numeric::Long(l));
    }
    t.parse::<f64>().ok().map(Numeric::Double)
}

/// PHP 8 `ksort()` order of two keys (`zendi_smart_strcmp`).
pub fn key_cmp(a: &str, b: &str) -> Ordering {
    match (numeric(a), numeric(b)) {
        (Some(Numeric::Long(x)), Some(Numeric::Long(y))) => x.cmp(&y),
        (Some(x), Some(y)) => {
            let f = |n| match n {
                Numeric::Long(l) => l as f64,
                Numeric::Double(d) => d,
            };
            match f(x).partial_cmp(&f(y)) {
                // both overflowed to the same infinity: PHP compares the text
                Some(Ordering::Equal) if f(x).is_infinite() => a.as_bytes().cmp(b.as_bytes()),
                Some(o) => o,
                None => Ordering::Equal,
            }
        }
        _ => a.as_bytes().cmp(b.as_bytes()),
    }
}

/// `ksort()`: a stable insertion sort by [`key_cmp`]. Insertion sort never
/// panics on key sets whose PHP order is not transitive (which plain field
/// names never are) and keeps equal keys ("1" and "1.0") in input order.
pub fn ksort<T>(entries: &mut [(String, T)]) {
    for i in 1..entries.len() {
        let mut j = i;
        while j > 0 && key_cmp(&entries[j - 1].0, &entries[j].0) == Ordering::Greater {
            entries.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_with_fourteen_significant_digits_like_php() {
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(0.1 + 0.2), "0.3");
        assert_eq!(float(1e25), "1.0E+25");
        assert_eq!(float(1e14), "1.0E+14");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(0.00001), "1.0E-5");
        assert_eq!(float(-0.0), "-0");
        assert_eq!(float(1500.0), "1500");
        assert_eq!(float(1.0 / 3.0), "0.33333333333333");
    }

    #[test]
    fn an_integral_tie_below_1e15_keeps_its_zeros_as_zend_dtoa_does() {
        assert_eq!(float(100_000_000_000_005.0), "1.0000000000000E+14");
        assert_eq!(float(100_000_000_000_004.0), "1.0E+14");
        assert_eq!(float(100_000_000_000_095.0), "1.000000000001E+14");
        assert_eq!(float(999_999_999_999_995.0), "1.0E+15");
    }

    #[test]
    fn integer_literals_stay_integers_until_they_overflow() {
        let n = |s: &str| number(&serde_json::from_str::<Number>(s).unwrap());
        assert_eq!(n("1000"), "1000");
        assert_eq!(n("-0"), "0");
        assert_eq!(n("1000.00"), "1000");
        assert_eq!(n("12345678901234567890"), "1.2345678901235E+19");
    }

    #[test]
    fn ksort_compares_numeric_keys_as_numbers_and_words_as_bytes() {
        let mut keys: Vec<(String, ())> = ["label", "10", "9", "amount", "Z", "1.5"]
            .iter()
            .map(|k| (k.to_string(), ()))
            .collect();
        ksort(&mut keys);
        let order: Vec<_> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(order, ["1.5", "9", "10", "Z", "amount", "label"]);
    }
}
