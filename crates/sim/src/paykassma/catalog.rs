//! The simulated Paykassma account: its payment systems in the document's
//! style (codes the document uses: paytm, phone_pe, bkash, nagad, upi,
//! imps, staging_b_ml, bkash_api, nagad_api), currencies, media hints and
//! the exchange rates used to convert savings ("stockpiling").

use cashdesk_paykassma::{CurrencyData, Wallet};
use rust_decimal::Decimal;
use std::str::FromStr;

/// How a deposit through this PS is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// `transaction/create` + `transaction/activate` with key1.
    Activation,
    /// `possible-transaction` with key1 and a screenshot.
    Manual,
    /// `payment/create/{payment_system}`: the user pays on a page.
    PaymentPage,
}

/// One deposit payment system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimWallet {
    pub wallet: Wallet,
    pub flow: Flow,
    /// What `transaction/create` answers: where the user pays.
    pub identifier: String,
    /// The savings threshold (`minimum_deposit`).
    pub minimum_deposit: Decimal,
    /// Activation must carry `amount` (documented for UPI P2P, PhonePe).
    pub needs_amount: bool,
    /// Accepted key1 lengths ("Transaction field has wrong length").
    pub key1_len: (usize, usize),
}

/// (type, currency, name, flow, identifier, minimum, needs amount, key1 len)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Flow,
    &'static str,
    &'static str,
    bool,
    (usize, usize),
);

const ROWS: [Row; 10] = [
    (
        "paytm",
        "INR",
        "PayTM",
        Flow::Activation,
        "6234234234",
        "148",
        false,
        (8, 20),
    ),
    (
        "upi_p2p",
        "INR",
        "UPI P2P",
        Flow::Activation,
        "paykassma@ybl",
        "100",
        true,
        (12, 12),
    ),
    (
        "phone_pe",
        "INR",
        "PhonePe",
        Flow::Activation,
        "paykassma@ibl",
        "100",
        true,
        (12, 12),
    ),
    (
        "bkash",
        "BDT",
        "bKash",
        Flow::Activation,
        "01712345678",
        "200",
        false,
        (8, 10),
    ),
    (
        "nagad",
        "BDT",
        "Nagad",
        Flow::Activation,
        "01812345678",
        "200",
        false,
        (8, 10),
    ),
    (
        "imps",
        "INR",
        "IMPS",
        Flow::Manual,
        "HDFC0001234 50100012345678",
        "500",
        false,
        (12, 12),
    ),
    (
        "staging_b_ml",
        "INR",
        "staging B ml",
        Flow::Manual,
        "SBIN0004321 30012345678",
        "300",
        false,
        (6, 30),
    ),
    (
        "bkash_api",
        "BDT",
        "bKash API",
        Flow::PaymentPage,
        "",
        "1",
        false,
        (0, 0),
    ),
    (
        "nagad_api",
        "BDT",
        "Nagad API",
        Flow::PaymentPage,
        "",
        "1",
        false,
        (0, 0),
    ),
    (
        "local_bank",
        "USD",
        "Local bank",
        Flow::PaymentPage,
        "",
        "10",
        false,
        (0, 0),
    ),
];

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("catalog amounts are decimals")
}

/// All deposit payment systems, in `order`.
pub fn wallets() -> Vec<SimWallet> {
    ROWS.iter()
        .enumerate()
        .map(
            |(i, &(code, currency, name, flow, identifier, min, needs_amount, key1_len))| {
                SimWallet {
                    wallet: Wallet {
                        wallet_type: code.to_owned(),
                        currency_code: currency.to_owned(),
                        order: i as i64 + 1,
                        logo: format!(
                            "https://api.sandbox.paykassma.test/storage/payment_system/logos/{code}.svg"
                        ),
                        name: name.to_owned(),
                        is_manual: flow == Flow::Manual,
                        uploading_payment_bill: flow == Flow::Manual,
                    },
                    flow,
                    identifier: identifier.to_owned(),
                    minimum_deposit: dec(min),
                    needs_amount,
                    key1_len,
                }
            },
        )
        .collect()
}

/// Payment systems a withdrawal can go to, with their currency.
pub const WITHDRAWAL_SYSTEMS: [(&str, &str); 6] = [
    ("bkash", "BDT"),
    ("nagad", "BDT"),
    ("rocket", "BDT"),
    ("paytm", "INR"),
    ("imps_ib", "INR"),
    ("upi_ib", "INR"),
];

/// Banks accepted by the generic `payment/create` (`bank string (3)`).
pub const BANKS: [&str; 3] = ["MBB", "PBB", "HLB"];

/// Known currencies and their symbols.
pub fn currencies() -> Vec<CurrencyData> {
    [("USD", "$"), ("INR", "INR"), ("BDT", "৳"), ("EUR", "€")]
        .iter()
        .map(|(code, symbol)| CurrencyData {
            code: (*code).to_owned(),
            symbol: (*symbol).to_owned(),
        })
        .collect()
}

/// Media hints by wallet type, as in the document.
pub const MEDIA_HINTS: [(&str, i64, &str); 3] = [
    ("imps", 486, "bkash.mp4"),
    ("paytm", 500, "Ghjkfre22.gif"),
    ("upi", 506, "upi_in.mp4"),
];

/// Units of each currency per US dollar, for stockpiling; crypto has 8
/// decimals, everything else 2 (documented precision).
pub const RATES: [(&str, &str, u32); 8] = [
    ("USD", "1", 2),
    ("EUR", "0.92", 2),
    ("INR", "83", 2),
    ("BDT", "110", 2),
    ("IDR", "15500", 2),
    ("MYR", "4.7", 2),
    ("BTC", "0.000016", 8),
    ("ETH", "0.00029", 8),
];

/// `amount` of `currency` in every currency of [`RATES`].
pub fn stockpiling(amount: Decimal, currency: &str) -> Vec<(String, Decimal)> {
    let per_usd = RATES
        .iter()
        .find(|(c, _, _)| *c == currency)
        .map_or(Decimal::ONE, |(_, r, _)| dec(r));
    let usd = amount / per_usd;
    RATES
        .iter()
        .map(|(code, rate, dp)| ((*code).to_owned(), (usd * dec(rate)).round_dp(*dp)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wallet_codes_are_unique_and_manual_ones_take_screenshots() {
        let all = wallets();
        let mut codes: Vec<_> = all.iter().map(|w| w.wallet.wallet_type.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        let imps = all.iter().find(|w| w.wallet.wallet_type == "imps").unwrap();
        assert!(imps.wallet.is_manual && imps.wallet.uploading_payment_bill);
    }

    #[test]
    fn stockpiling_converts_to_every_currency_at_its_precision() {
        let s = stockpiling(Decimal::from(830), "INR");
        let get = |c: &str| s.iter().find(|(k, _)| k == c).unwrap().1;
        assert_eq!(get("USD"), Decimal::from(10));
        assert_eq!(get("INR"), Decimal::from(830));
        assert_eq!(get("BTC"), dec("0.00016"));
    }
}
