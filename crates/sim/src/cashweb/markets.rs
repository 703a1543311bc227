//! The crypto currencies and networks the simulated CashWeb prices, with
//! their market rates (fiat per coin) and the confirmations each network
//! needs, and deposit addresses in each network's own format.

use rust_decimal::Decimal;
use std::str::FromStr;

/// One `crypto_currency` on one `network`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Market {
    /// Lowercase, as the document's example (`usdt`).
    pub crypto_currency: String,
    /// Lowercase, as the document's example (`trc20`).
    pub network: String,
    /// Latest market rate, fiat per unit; direct mode uses it.
    pub rate: Decimal,
    pub required_confirmations: u32,
}

/// (crypto_currency, network, rate, required confirmations)
const ROWS: [(&str, &str, &str, u32); 5] = [
    ("usdt", "trc20", "1615.00", 19),
    ("usdt", "erc20", "1615.00", 12),
    ("usdt", "bep20", "1615.00", 15),
    ("btc", "bitcoin", "158000000.00", 2),
    ("eth", "erc20", "5200000.00", 12),
];

/// The default markets; the document's example rate is USDT on TRC20.
pub fn markets() -> Vec<Market> {
    ROWS.iter()
        .map(|&(crypto, network, rate, confirmations)| Market {
            crypto_currency: crypto.to_owned(),
            network: network.to_owned(),
            rate: Decimal::from_str(rate).expect("market rates are decimals"),
            required_confirmations: confirmations,
        })
        .collect()
}

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";
const BECH32: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn random_from(alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[rand::random::<u32>() as usize % alphabet.len()] as char)
        .collect()
}

/// A fresh address shaped like the network's: TRON `T…` (34), EVM `0x…`
/// (42), Bitcoin `bc1q…` (42).
pub(crate) fn deposit_address(network: &str) -> String {
    match network {
        "trc20" => format!("T{}", random_from(BASE58, 33)),
        "bitcoin" => format!("bc1q{}", random_from(BECH32, 38)),
        _ => format!("0x{}", random_from(HEX, 40)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_example_market_is_usdt_on_trc20_at_1615() {
        let m = markets();
        let usdt = m
            .iter()
            .find(|m| m.crypto_currency == "usdt" && m.network == "trc20")
            .unwrap();
        assert_eq!(usdt.rate.to_string(), "1615.00");
        assert!(m.iter().all(|m| m.required_confirmations > 0));
    }

    #[test]
    fn addresses_look_like_their_networks() {
        let trc = deposit_address("trc20");
        assert!(trc.starts_with('T') && trc.len() == 34, "{trc}");
        let evm = deposit_address("erc20");
        assert!(evm.starts_with("0x") && evm.len() == 42, "{evm}");
        assert!(deposit_address("bitcoin").starts_with("bc1q"));
        assert_ne!(deposit_address("trc20"), trc);
    }
}
