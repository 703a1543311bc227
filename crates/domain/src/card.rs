//! Payment card numbers are shown masked (first six, last four) wherever a
//! request appears; the whole number only when a person asks to see it
//! (audited by the core). Six and four are what PCI DSS allows on screen.

/// The number masked ("415225******6890") when `text` is a card number:
/// 13 to 19 digits (spaces and dashes allowed between them) passing the
/// Luhn check. Anything else (a wallet, a phone, a CLABE) is `None`.
pub fn mask_card(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return None;
    }
    let digits: Vec<u32> = t.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) || !luhn(&digits) || clabe(&digits) {
        return None;
    }
    let n = digits.len();
    Some(
        digits
            .iter()
            .enumerate()
            .map(|(i, d)| {
                if i < 6 || i >= n - 4 {
                    char::from_digit(*d, 10).unwrap_or('*')
                } else {
                    '*'
                }
            })
            .collect(),
    )
}

/// `text` masked when it is a card number, as it was otherwise.
pub fn masked(text: &str) -> String {
    mask_card(text).unwrap_or_else(|| text.to_owned())
}

/// A Mexican CLABE (18 digits, weights 3-7-1, check digit last): one in
/// ten also passes Luhn by chance, and a bank account is not a card to hide.
fn clabe(digits: &[u32]) -> bool {
    if digits.len() != 18 {
        return false;
    }
    let sum: u32 = digits[..17]
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| (d * w) % 10)
        .sum();
    (10 - sum % 10) % 10 == digits[17]
}

/// The Luhn checksum (ISO/IEC 7812-1): what tells a card number from any
/// other long run of digits.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by brute force: an 18-digit CLABE that also passes Luhn.
    #[test]
    fn a_clabe_that_passes_luhn_is_not_taken_for_a_card() {
        let found = (0..1_000_000u64)
            .map(|n| format!("0021800{n:010}"))
            .map(|s| {
                let d: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
                let sum: u32 = d
                    .iter()
                    .zip([3, 7, 1].iter().cycle())
                    .map(|(d, w)| (d * w) % 10)
                    .sum();
                format!("{s}{}", (10 - sum % 10) % 10)
            })
            .find(|s| luhn(&s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>()))
            .unwrap();
        assert_eq!(found.len(), 18);
        assert_eq!(mask_card(&found), None, "{found} is a CLABE");
        // Card numbers are still masked.
        let card = "6011000990139424"; // 16 digits, Luhn-valid
        assert!(mask_card(card).is_some());
    }

    #[test]
    fn card_numbers_are_masked_and_other_numbers_are_not() {
        assert_eq!(
            mask_card("4111111111111112").as_deref(),
            None,
            "fails Luhn: not a card"
        );
        assert_eq!(
            mask_card("4152258516746890").as_deref(),
            Some("415225******6890")
        );
        assert_eq!(
            mask_card("4111111111111111").as_deref(),
            Some("411111******1111")
        );
        assert_eq!(
            mask_card("4111 1111 1111 1111").as_deref(),
            Some("411111******1111")
        );
        assert_eq!(
            mask_card("5500-0000-0000-0004").as_deref(),
            Some("550000******0004")
        );
        // a bKash wallet, a CLABE, a UPI id, too short, too long
        for other in [
            "01712345678",
            "012997308968669085",
            "priya@okhdfc",
            "4111111111",
            "41111111111111111111",
        ] {
            assert_eq!(mask_card(other), None, "{other}");
        }
        assert_eq!(masked("01712345678"), "01712345678");
    }
}
