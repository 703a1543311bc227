//! The document's 18 payment methods with their limits, and one agent per
//! method with an account number and instructions in the document's style.

use cashdesk_zexabit::PaymentMethod;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A payment method and the agent who serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimMethod {
    pub method: PaymentMethod,
    pub account_number: String,
    pub agent_name: String,
    pub instructions: String,
}

const BDT_AGENT: &str = "Demo Cashagent";
const INR_AGENT: &str = "INR Cashagent";
const PKR_AGENT: &str = "PKR Cashagent";
const CRYPTO_AGENT: &str = "Crypto Cashagent";

/// (key, label, currency, min, max, account, agent, instructions)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ROWS: [Row; 18] = [
    (
        "bkash",
        "bKash",
        "BDT",
        "100",
        "50000",
        "01712345678",
        BDT_AGENT,
        "Send exactly the requested amount to this bKash number and include your TrxID when submitting the deposit.",
    ),
    (
        "nagad",
        "Nagad",
        "BDT",
        "100",
        "50000",
        "01812345678",
        BDT_AGENT,
        "Send exactly the requested amount to this Nagad number and include your TrxID when submitting the deposit.",
    ),
    (
        "rocket",
        "Rocket",
        "BDT",
        "100",
        "25000",
        "019123456781",
        BDT_AGENT,
        "Send exactly the requested amount to this Rocket number and include your TrxID when submitting the deposit.",
    ),
    (
        "upay",
        "Upay",
        "BDT",
        "100",
        "25000",
        "01612345678",
        BDT_AGENT,
        "Send exactly the requested amount to this Upay number and include your TrxID when submitting the deposit.",
    ),
    (
        "upi",
        "UPI",
        "INR",
        "100",
        "100000",
        "agent@ybl",
        INR_AGENT,
        "Send the exact amount to this UPI ID. Note the UTR number for verification.",
    ),
    (
        "phonepe",
        "PhonePe",
        "INR",
        "100",
        "100000",
        "agent@ibl",
        INR_AGENT,
        "Send the exact amount to this PhonePe UPI ID. Note the UTR number for verification.",
    ),
    (
        "gpay",
        "Google Pay",
        "INR",
        "100",
        "100000",
        "agent@okaxis",
        INR_AGENT,
        "Send the exact amount to this Google Pay UPI ID. Note the UTR number for verification.",
    ),
    (
        "paytm",
        "Paytm",
        "INR",
        "100",
        "100000",
        "agent@paytm",
        INR_AGENT,
        "Send the exact amount to this Paytm UPI ID. Note the UTR number for verification.",
    ),
    (
        "imps",
        "IMPS Bank Transfer",
        "INR",
        "500",
        "500000",
        "123456789012",
        INR_AGENT,
        "Send the exact amount by IMPS to this account (IFSC HDFC0001234). Note the UTR number for verification.",
    ),
    (
        "easypaisa",
        "EasyPaisa",
        "PKR",
        "500",
        "100000",
        "03451234567",
        PKR_AGENT,
        "Send exactly the requested amount to this EasyPaisa number and include your transaction ID when submitting.",
    ),
    (
        "jazzcash",
        "JazzCash",
        "PKR",
        "500",
        "100000",
        "03001234567",
        PKR_AGENT,
        "Send exactly the requested amount to this JazzCash number and include your transaction ID when submitting.",
    ),
    (
        "bank_pk",
        "Bank Transfer (PK)",
        "PKR",
        "1000",
        "500000",
        "PK36SCBL0000001123456702",
        PKR_AGENT,
        "Send the exact amount to this IBAN and include the bank reference when submitting.",
    ),
    (
        "usdt_trc20",
        "USDT (TRC-20)",
        "USDT",
        "5",
        "50000",
        "TXrk9ZbPq4uW3nLm8sVd2yHc6jKa1t7vB9",
        CRYPTO_AGENT,
        "Send USDT on the TRC-20 network to this address. Include the tx hash when submitting.",
    ),
    (
        "usdt_erc20",
        "USDT (ERC-20)",
        "USDT",
        "20",
        "50000",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        CRYPTO_AGENT,
        "Send USDT on the ERC-20 network to this address. Include the tx hash when submitting.",
    ),
    (
        "usdt_bep20",
        "USDT (BEP-20)",
        "USDT",
        "5",
        "50000",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        CRYPTO_AGENT,
        "Send USDT on the BEP-20 network to this address. Include the tx hash when submitting.",
    ),
    (
        "btc",
        "Bitcoin",
        "BTC",
        "0.0001",
        "10",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        CRYPTO_AGENT,
        "Send BTC on the Bitcoin network to this address. Include the tx hash when submitting.",
    ),
    (
        "eth",
        "Ethereum",
        "ETH",
        "0.005",
        "100",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        CRYPTO_AGENT,
        "Send ETH on the Ethereum network to this address. Include the tx hash when submitting.",
    ),
    (
        "trx",
        "TRON (TRX)",
        "TRX",
        "10",
        "500000",
        "TN3W4H6rK2ce4vX9YnFQHwKENnHjoxb3m9",
        CRYPTO_AGENT,
        "Send TRX on the TRON network to this address. Include the tx hash when submitting.",
    ),
];

/// All methods, in the document's order.
pub fn methods() -> Vec<SimMethod> {
    ROWS.iter()
        .map(
            |&(key, label, currency, min, max, account, agent, instructions)| SimMethod {
                method: PaymentMethod {
                    method: key.to_owned(),
                    label: label.to_owned(),
                    currency: currency.to_owned(),
                    min_amount: Decimal::from_str(min).expect("catalog minimums are decimals"),
                    max_amount: Decimal::from_str(max).expect("catalog maximums are decimals"),
                },
                account_number: account.to_owned(),
                agent_name: agent.to_owned(),
                instructions: instructions.to_owned(),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_is_the_documents_18_methods_with_their_limits() {
        let all = methods();
        assert_eq!(all.len(), 18);
        let btc = all.iter().find(|m| m.method.method == "btc").unwrap();
        assert_eq!(btc.method.min_amount.to_string(), "0.0001");
        assert_eq!(btc.method.currency, "BTC");
        let mut keys: Vec<_> = all.iter().map(|m| m.method.method.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 18, "method keys are unique");
    }

    #[test]
    fn agent_numbers_look_like_the_documents_examples() {
        let all = methods();
        let get = |k: &str| {
            all.iter()
                .find(|m| m.method.method == k)
                .unwrap()
                .account_number
                .clone()
        };
        assert_eq!(get("bkash"), "01712345678");
        assert_eq!(get("upi"), "agent@ybl");
        let trc = get("usdt_trc20");
        assert!(trc.starts_with('T') && trc.len() == 34, "{trc}");
    }
}
