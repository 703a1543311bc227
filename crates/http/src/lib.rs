//! What the four provider adapters share about HTTP, so each adapter keeps
//! only what its document says: a base URL's rules, whether a failed send
//! may have reached the provider, `Retry-After` in both of its forms,
//! percent-encoded path segments, bounded error texts, and the one
//! redacting [`Secret`] type. Each adapter
//! maps these into its own typed errors.

mod secret;

pub use secret::Secret;

use reqwest::Url;
use std::time::{Duration, SystemTime};

/// A provider base URL: http(s), no query or fragment (a path prefix is
/// fine). `Err` says why, in words for the person typing it.
pub fn check_base_url(base_url: &str) -> Result<Url, String> {
    let url = Url::parse(base_url.trim()).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("it must start with https:// (or http:// for a local sandbox)".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it must not carry a query or fragment".into());
    }
    Ok(url)
}

/// What became of a call that did not succeed, in the terms that decide
/// what may happen next. Every adapter's error maps to one (`fate()`), and
/// the core turns a fate into an outbox outcome in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFate {
    /// Nothing reached the provider: sending again cannot do anything twice.
    NotSent,
    /// The call may have arrived and taken effect (no answer after the
    /// connection, a 5xx, an id refused as taken): only evidence settles it.
    MayHaveArrived,
    /// 429: nothing was done; again after `Retry-After`, when it was given.
    RateLimited(Option<Duration>),
    /// A refusal the provider calls temporary (Zexabit's "no agent
    /// available"): nothing was done; again after this long, a few times.
    Busy(Duration),
    /// The provider refused the request itself (insufficient funds, a
    /// business rule): the money does not move.
    Refused,
    /// Refused for a reason of ours (credentials, a call it calls invalid):
    /// nothing moved, and a person must look before anything is sent again.
    Failed,
}

impl SendFate {
    /// True when sending the very same call again cannot double an effect.
    pub fn is_safe_to_resend(self) -> bool {
        matches!(self, Self::NotSent | Self::RateLimited(_) | Self::Busy(_))
    }
}

/// A send that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// No connection was made: nothing reached the provider.
    NotSent(String),
    /// The connection existed: the request may have arrived.
    Unknown(String),
}

/// Before a connection exists nothing was sent; after, anything may have
/// been. The URL is stripped from the text: it may carry a secret (a
/// `secret` query parameter).
pub fn classify_send_error(e: reqwest::Error, provider: &str) -> SendFailure {
    let (connect, builder, timeout) = (e.is_connect(), e.is_builder(), e.is_timeout());
    let message = e.without_url().to_string();
    if builder || connect {
        SendFailure::NotSent(message)
    } else if timeout {
        SendFailure::Unknown(format!("timed out waiting for {provider}: {message}"))
    } else {
        SendFailure::Unknown(message)
    }
}

/// `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
/// A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// At most `max` characters; a cut text ends in "…" (counted in `max`).
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(0, |(i, _)| i);
            format!("{}…", &text[..keep])
        }
        None => text.to_owned(),
    }
}

/// Replaces `placeholder` with `value` as one percent-encoded path segment.
pub fn fill(template: &str, placeholder: &str, value: &str) -> String {
    template.replace(placeholder, &encode_segment(value))
}

/// Everything but RFC 3986 unreserved characters percent-encoded.
pub fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_both_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(120));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(120))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn base_urls_are_checked() {
        assert!(check_base_url("https://api.example.com/v1").is_ok());
        assert!(check_base_url("ftp://x").unwrap_err().contains("https://"));
        assert!(
            check_base_url("https://x/?a=1")
                .unwrap_err()
                .contains("query")
        );
    }

    #[test]
    fn segments_and_texts() {
        assert_eq!(fill("/t/{id}", "{id}", "a b/c"), "/t/a%20b%2Fc");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
