//! Where a provider may be reached.
/// A provider address must be https; plain http only for a simulator on
/// this computer (sandbox and tests), never across a network.
pub(crate) fn https_or_loopback(label: &str, url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{label}: {e}"))?;
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback) {
        Ok(())
    } else {
        Err(format!(
            "{label}: use https:// (plain http only for a simulator on this computer)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::https_or_loopback;

    #[test]
    fn http_only_on_this_computer() {
        assert!(https_or_loopback("Host", "https://cards.zimo-pagos.com").is_ok());
        assert!(https_or_loopback("Host", "http://127.0.0.1:7502").is_ok());
        let err = https_or_loopback("Debit-card host", "http://cards.zimo-pagos.com").unwrap_err();
        assert!(err.starts_with("Debit-card host: use https://"), "{err}");
        assert!(https_or_loopback("Host", "not a url").is_err());
    }
}
