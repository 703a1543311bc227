//! Property tests of `Money::parse`, the parser of every amount that comes
//! from outside (intake, CSV, the desk form, provider answers): never a
//! panic, and what it accepts reads back to the same amount.
//! Cases: `PROPTEST_CASES` (256 by default; the long run is in docs/TESTING.md).

use cashdesk_domain::Money;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_text_is_parsed_or_refused_never_a_panic(amount in any::<String>(), currency in any::<String>()) {
        let _ = Money::parse(&amount, &currency);
    }

    #[test]
    fn numberlike_text_is_parsed_or_refused_never_a_panic(
        amount in "[-+ ]?[0-9]{0,30}([.,][0-9]{0,30})?(e[-+]?[0-9]{1,3})?",
        currency in "[A-Za-z]{0,5}",
    ) {
        let _ = Money::parse(&amount, &currency);
    }

    /// What is accepted keeps its exact value: written out and parsed
    /// again, it is the same money.
    #[test]
    fn accepted_amounts_round_trip(units in 0u64..1_000_000_000_000, cents in 0u32..100, currency in prop::sample::select(vec!["BDT", "INR", "MXN", "PKR", "USD"])) {
        let text = format!("{units}.{cents:02}");
        let m = Money::parse(&text, currency).unwrap();
        prop_assert_eq!(m.amount.to_string(), text.clone());
        let again = Money::parse(&m.amount.to_string(), currency).unwrap();
        prop_assert_eq!(again, m);
    }
}
