//! Mexico: a cashout goes either to a bank account (CLABE) through the
//! normal endpoint, or to a debit card through the separate card endpoint.
//!
//! The document is firm that the wrong endpoint gets the request declined
//! ("Invalid bank account, it shouldn't be a credit card" on the normal
//! one; a Luhn failure on the card one), so the adapter decides before
//! sending, from the number alone. See [`classify`] for the rule and
//! `assumptions::CARD_DIGITS` for why a valid CLABE always wins.

use crate::assumptions::{CARD_DIGITS, CLABE_DIGITS};
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};

/// Which of the document's two cashout endpoints a request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /v3/cashout` on the main host: bank accounts, every country.
    Standard,
    /// `POST /v3/cashout` on the card host: Mexican debit cards only.
    DebitCard,
}

/// What a Mexican `bank_account` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MexicoAccount {
    /// An 18-digit CLABE: normal endpoint.
    Clabe,
    /// A Luhn-valid card number: card endpoint.
    DebitCard,
}

impl MexicoAccount {
    pub fn endpoint(self) -> Endpoint {
        match self {
            MexicoAccount::Clabe => Endpoint::Standard,
            MexicoAccount::DebitCard => Endpoint::DebitCard,
        }
    }
}

/// The Luhn (mod 10) check of card numbers. `digits` must be ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The CLABE control digit (Banxico): weights 3, 7, 1 over the first 17
/// digits, each product taken mod 10; the 18th digit is
/// `(10 - sum mod 10) mod 10`.
pub fn clabe_valid(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() != CLABE_DIGITS || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip([3u32, 7, 1].iter().cycle())
        .map(|(d, w)| (u32::from(d - b'0') * w) % 10)
        .sum();
    (10 - sum % 10) % 10 == u32::from(b[17] - b'0')
}

/// Decides where a Mexican `bank_account` goes, or why it cannot go at all:
///
/// 1. digits only, as the document's CLABE format is "numeric, without
///    dashes" and card numbers are digits;
/// 2. 18 digits with a right CLABE control digit: a CLABE (normal endpoint),
///    even if it also passes Luhn;
/// 3. otherwise 13–19 digits passing Luhn: a debit card (card endpoint);
/// 4. otherwise refused, saying which of the two it failed to be.
///
/// `check_clabe_control` off (see [`crate::ValidationOptions`]) accepts any
/// 18 digits that are not a Luhn-valid card as a CLABE.
pub fn classify(
    account: &str,
    check_clabe_control: bool,
) -> Result<MexicoAccount, ValidationError> {
    let field = "bank_account";
    if account.trim().is_empty() {
        return Err(ValidationError::MexicoAccountRequired);
    }
    if !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValidationError::MexicoAccountFormat {
            field,
            reason: "must be digits only, without spaces or dashes".into(),
        });
    }
    let len = account.len();
    if len == CLABE_DIGITS && clabe_valid(account) {
        return Ok(MexicoAccount::Clabe);
    }
    if CARD_DIGITS.contains(&len) && luhn_valid(account) {
        return Ok(MexicoAccount::DebitCard);
    }
    if len == CLABE_DIGITS && !check_clabe_control {
        return Ok(MexicoAccount::Clabe);
    }
    let reason = if len == CLABE_DIGITS {
        "has 18 digits like a CLABE, but its control digit is wrong and it is not a valid \
         card number either: check it with the beneficiary"
            .to_owned()
    } else if CARD_DIGITS.contains(&len) {
        format!(
            "has {len} digits like a debit card, but fails the card check (Luhn): \
             check it with the beneficiary"
        )
    } else {
        format!(
            "must be an 18-digit CLABE or a 13 to 19 digit debit card number; it has {len} digits"
        )
    };
    Err(ValidationError::MexicoAccountFormat { field, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Banxico's published example CLABE (passes the CLABE check, not Luhn).
    const CLABE: &str = "032180000118359719";
    /// A CLABE with a right control digit that also passes Luhn.
    const CLABE_AND_LUHN: &str = "002180000123456103";
    const VISA: &str = "4111111111111111";

    #[test]
    fn luhn_accepts_test_card_numbers_and_refuses_one_digit_off() {
        assert!(luhn_valid(VISA));
        assert!(luhn_valid("5555555555554444"));
        assert!(luhn_valid("378282246310005"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("4111 1111"));
    }

    #[test]
    fn clabe_control_digit_follows_banxico_weights() {
        assert!(clabe_valid(CLABE));
        assert!(!clabe_valid("032180000118359718"));
        assert!(!clabe_valid("03218000011835971"));
        assert!(!luhn_valid(CLABE));
    }

    #[test]
    fn a_luhn_valid_card_goes_to_the_card_endpoint() {
        assert_eq!(classify(VISA, true), Ok(MexicoAccount::DebitCard));
        assert_eq!(
            classify(VISA, true).unwrap().endpoint(),
            Endpoint::DebitCard
        );
        assert_eq!(
            classify("378282246310005", true),
            Ok(MexicoAccount::DebitCard)
        );
    }

    #[test]
    fn a_clabe_goes_to_the_normal_endpoint_even_when_it_also_passes_luhn() {
        assert_eq!(classify(CLABE, true), Ok(MexicoAccount::Clabe));
        assert!(luhn_valid(CLABE_AND_LUHN));
        assert_eq!(classify(CLABE_AND_LUHN, true), Ok(MexicoAccount::Clabe));
        assert_eq!(MexicoAccount::Clabe.endpoint(), Endpoint::Standard);
    }

    #[test]
    fn an_18_digit_card_that_is_no_clabe_is_a_card() {
        assert_eq!(
            classify("500000000000000009", true),
            Ok(MexicoAccount::DebitCard)
        );
    }

    #[test]
    fn anything_else_is_refused_naming_bank_account() {
        let msg = |a: &str| classify(a, true).unwrap_err().to_string();
        assert!(msg("4111-1111-1111-1111").contains("digits only"));
        assert!(msg("123456789012345600").contains("control digit"));
        assert!(msg("4111111111111112").contains("Luhn"));
        assert!(msg("12345").contains("has 5 digits"));
        assert!(msg("12345").starts_with("bank_account"));
        assert_eq!(
            classify(" ", true),
            Err(ValidationError::MexicoAccountRequired)
        );
    }

    #[test]
    fn without_the_control_digit_check_any_18_digits_are_a_clabe() {
        assert_eq!(
            classify("123456789012345600", false),
            Ok(MexicoAccount::Clabe)
        );
        assert_eq!(classify(VISA, false), Ok(MexicoAccount::DebitCard));
    }
}
