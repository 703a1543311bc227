//! The code lists the document points to: ISO 3166-1 alpha-2 countries and
//! ISO 4217 currencies. Checking against the lists, not just the shape,
//! catches "UK" for GB or "MXP" for MXN before Zimo-pagos has to refuse it.

/// The 249 officially assigned ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// ISO 4217 codes of circulating currencies, plus four withdrawn within
/// the last two years (ANG, BGN, SLL, ZWL) that may still be configured.
/// Assumption: fund, precious-metal and testing codes (MXV, XAU, XTS …)
/// are left out; no bank pays a cashout in them.
const CURRENCIES: &str = "\
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP \
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP \
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR \
KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK \
MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR \
SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD \
TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL";

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code, in capitals.
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

/// Whether `code` is an ISO 4217 currency code, in capitals.
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && CURRENCIES.split(' ').any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_country_list_has_the_249_assigned_codes_once_each() {
        let all: Vec<&str> = COUNTRIES.split(' ').collect();
        assert_eq!(all.len(), 249);
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), 249);
        assert!(all.iter().all(|c| c.len() == 2));
        let mut sorted = all.clone();
        sorted.sort_unstable();
        assert_eq!(all, sorted, "kept sorted so a review can spot gaps");
    }

    #[test]
    fn the_currency_list_is_three_letter_codes_once_each() {
        let all: Vec<&str> = CURRENCIES.split(' ').collect();
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
        assert!(all.iter().all(|c| c.len() == 3));
        let mut sorted = all.clone();
        sorted.sort_unstable();
        assert_eq!(all, sorted);
    }

    #[test]
    fn codes_must_be_assigned_and_in_capitals() {
        for ok in ["MX", "BR", "AR", "CO", "CL", "PE", "GB", "BD", "IN"] {
            assert!(is_country(ok), "{ok}");
        }
        for bad in ["mx", "UK", "XX", "MEX", "M", ""] {
            assert!(!is_country(bad), "{bad}");
        }
        for ok in ["MXN", "USD", "BRL", "EUR", "BDT", "INR"] {
            assert!(is_currency(ok), "{ok}");
        }
        for bad in ["mxn", "MXP", "XAU", "XTS", "US", "USDT", ""] {
            assert!(!is_currency(bad), "{bad}");
        }
    }
}
