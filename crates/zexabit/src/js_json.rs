//! `JSON.stringify(JSON.parse(body))`, byte for byte, in Rust.
//!
//! The document's reference verifier signs what Express re-serialises, not
//! the raw body, so a body sent as `"newBalance": 1500.00` is signed as
//! `"newBalance":1500`. To check such signatures we must produce the same
//! bytes Node would: no whitespace, numbers as JavaScript prints doubles,
//! strings escaped as `JSON.stringify` does, and keys in JavaScript's
//! property order (array-index keys ascending first, then insertion order).

use serde_json::{Map, Number, Value};
use std::fmt::Write;

/// What Node prints for `JSON.stringify(JSON.parse(text))` of the JSON text
/// that `value` was parsed from (serde_json keeps key order and the exact
/// number digits, which are then rounded to a double as `JSON.parse` does).
pub fn stringify(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&js_number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map),
    }
}

fn write_object(out: &mut String, map: &Map<String, Value>) {
    // JavaScript enumerates integer-like keys first, in ascending order.
    let mut index_keys: Vec<(u32, &String, &Value)> = Vec::new();
    let mut other_keys: Vec<(&String, &Value)> = Vec::new();
    for (k, v) in map {
        match array_index(k) {
            Some(i) => index_keys.push((i, k, v)),
            None => other_keys.push((k, v)),
        }
    }
    index_keys.sort_by_key(|(i, _, _)| *i);
    let ordered = index_keys
        .into_iter()
        .map(|(_, k, v)| (k, v))
        .chain(other_keys);
    out.push('{');
    for (i, (k, v)) in ordered.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, k);
        out.push(':');
        write_value(out, v);
    }
    out.push('}');
}

/// A canonical array index: "0" or digits without a leading zero, below 2³²−1.
fn array_index(key: &str) -> Option<u32> {
    let canonical = key == "0"
        || (!key.is_empty()
            && !key.starts_with('0')
            && key.len() <= 10
            && key.bytes().all(|b| b.is_ascii_digit()));
    if !canonical {
        return None;
    }
    key.parse::<u32>().ok().filter(|i| *i != u32::MAX)
}

/// JavaScript's Number-to-String: the shortest digits that round-trip,
/// integral values without a fraction, exponent form outside 1e-7..1e21.
fn js_number(n: &Number) -> String {
    // `JSON.parse` rounds every number to the nearest double; Rust's parser
    // is correctly rounded too. Overflow gives Infinity, which JSON prints
    // as null.
    let f = n.to_string().parse::<f64>().unwrap_or(f64::NAN);
    if !f.is_finite() {
        return "null".to_owned();
    }
    if f == 0.0 {
        return "0".to_owned(); // JSON.stringify(-0) is "0"
    }
    ryu_js::Buffer::new().format_finite(f).to_owned()
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(text: &str) -> String {
        stringify(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn whitespace_is_dropped_and_key_order_is_kept() {
        assert_eq!(
            js(r#"{ "b": 1, "a": [ true, null ] }"#),
            r#"{"b":1,"a":[true,null]}"#
        );
    }

    #[test]
    fn integral_numbers_lose_their_fraction_like_javascript() {
        assert_eq!(js(r#"{"newBalance": 1500.00}"#), r#"{"newBalance":1500}"#);
        assert_eq!(js("[500, 1e3, 2E+2, -0, 0.0]"), "[500,1000,200,0,0]");
    }

    #[test]
    fn fractions_and_extremes_print_as_javascript_does() {
        assert_eq!(
            js("[0.1, 1500.50, 0.0001, 1e-7, 1e21, 123456789012345678901]"),
            "[0.1,1500.5,0.0001,1e-7,1e+21,123456789012345680000]"
        );
        // beyond double range JSON.parse gives Infinity, which stringifies as null
        assert_eq!(js("[1e400]"), "[null]");
    }

    #[test]
    fn strings_are_escaped_as_json_stringify_escapes_them() {
        assert_eq!(
            js(r#"["q\"b\\s\/", "\b\f\n\r\t\u0001\u001f", "ñ€😀\u2028<>&"]"#),
            "[\"q\\\"b\\\\s/\",\"\\b\\f\\n\\r\\t\\u0001\\u001f\",\"ñ€😀\u{2028}<>&\"]"
        );
    }

    #[test]
    fn integer_like_keys_come_first_in_ascending_order() {
        assert_eq!(
            js(r#"{"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6}"#),
            r#"{"2":4,"10":2,"b":1,"a":3,"01":5,"4294967295":6}"#
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_first_place_and_last_value() {
        assert_eq!(js(r#"{"a":1,"b":2,"a":3}"#), r#"{"a":3,"b":2}"#);
    }
}
