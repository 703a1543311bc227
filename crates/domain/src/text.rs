//! Text that comes from outside (intake, CSV, the desk form) made safe to
//! store and show: control characters and bidirectional overrides are
//! removed (a name such as "\u{202E}gnp.exe" must not read backwards in the
//! queue or the audit log), and each field has a length cap, refused
//! rather than cut (a shortened TrxID would be another TrxID).
//!
//! Zero-width joiners (U+200C, U+200D) stay: Bengali and other scripts the
//! desks serve need them.

/// Why a field was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: at most {max} characters ({got} given)")]
pub struct TooLong {
    pub field: String,
    pub max: usize,
    pub got: usize,
}

/// Bidirectional embeddings, overrides, isolates and marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` is removed from a one-line field: every control character
/// (line breaks and tabs included), bidi controls, and the byte-order mark.
fn is_stripped(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{FEFF}'
}

/// One line of text as stored: stripped, trimmed, at most `max` characters.
pub fn one_line(field: &str, value: &str, max: usize) -> Result<String, TooLong> {
    let kept: String = value.chars().filter(|c| !is_stripped(*c)).collect();
    let kept = kept.trim();
    let got = kept.chars().count();
    if got > max {
        return Err(TooLong {
            field: field.to_owned(),
            max,
            got,
        });
    }
    Ok(kept.to_owned())
}

/// Like [`one_line`] for an optional field; blank becomes `None`.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, TooLong> {
    Ok(match value {
        Some(v) => Some(one_line(field, v, max)?).filter(|s| !s.is_empty()),
        None => None,
    })
}

/// Every string inside a JSON value (keys included) cleaned as one line of
/// at most `max` characters; the field named in an error is its path.
pub fn json_strings(
    field: &str,
    value: &serde_json::Value,
    max: usize,
) -> Result<serde_json::Value, TooLong> {
    use serde_json::Value;
    Ok(match value {
        Value::String(s) => Value::String(one_line(field, s, max)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| json_strings(&format!("{field}[{i}]"), v, max))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = one_line(field, k, max)?;
                    let path = format!("{field}.{key}");
                    Ok((key, json_strings(&path, v, max)?))
                })
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_and_bidi_overrides_are_removed_and_joiners_kept() {
        assert_eq!(
            one_line("name", " \u{202E}Karim\u{0007}\r\n\tUddin\u{2066} ", 50).unwrap(),
            "KarimUddin"
        );
        // Bengali with a zero-width non-joiner stays as written.
        let bn = "র\u{200C}্যাব";
        assert_eq!(one_line("name", bn, 50).unwrap(), bn);
    }

    #[test]
    fn too_long_is_refused_naming_the_field_not_cut() {
        let e = one_line("trx_id", &"9".repeat(65), 64).unwrap_err();
        assert_eq!(e.to_string(), "trx_id: at most 64 characters (65 given)");
        assert_eq!(one_line("trx_id", &"9".repeat(64), 64).unwrap().len(), 64);
    }

    #[test]
    fn strings_inside_details_are_cleaned_with_their_path_named() {
        let v = serde_json::json!({"bank_details": {"name": "A\u{202E}B", "code": 12}});
        assert_eq!(
            json_strings("details", &v, 20).unwrap(),
            serde_json::json!({"bank_details": {"name": "AB", "code": 12}})
        );
        let long = serde_json::json!({"x": ["ok", "y".repeat(21)]});
        assert_eq!(
            json_strings("details", &long, 20).unwrap_err().field,
            "details.x[1]"
        );
    }

    proptest! {
        /// Whatever comes in, what is kept has no control or bidi
        /// character, is trimmed, respects the cap, and cleaning twice
        /// changes nothing.
        #[test]
        fn cleaning_is_total_and_idempotent(s in any::<String>(), max in 0usize..64) {
            match one_line("f", &s, max) {
                Ok(kept) => {
                    prop_assert!(!kept.chars().any(is_stripped));
                    prop_assert_eq!(kept.trim(), kept.as_str());
                    prop_assert!(kept.chars().count() <= max);
                    prop_assert_eq!(one_line("f", &kept, max).unwrap(), kept);
                }
                Err(e) => prop_assert!(e.got > max),
            }
        }
    }
}
