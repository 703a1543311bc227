//! A shift's lines: per account, wallet and currency, the opening balance,
//! deposits and withdrawals completed in the shift, the expected closing
//! balance, and the balance reported at close. Pure, so the figures are
//! tested against hand-counted fixtures.
//!
//! Expected = opening + deposits − withdrawals: a completed deposit adds
//! to the desk's balance at the provider, a completed payout takes from
//! it. The documents say nothing of fees; a fee shows as a variance, which
//! a person explains before signing.

use cashdesk_domain::{AccountId, RequestKind};
use cashdesk_store::{BalanceLine, BalanceSource, Completed};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Where a line is: account, wallet (`""`: the whole account), currency.
pub type LineKey = (AccountId, String, String);

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub key: LineKey,
    pub opening: Option<(Decimal, BalanceSource)>,
    pub deposits: Decimal,
    pub deposits_count: u32,
    pub withdrawals: Decimal,
    pub withdrawals_count: u32,
    /// What the provider reported at close, if it reports balances.
    pub reported: Option<Decimal>,
}

impl Line {
    pub fn expected(&self) -> Decimal {
        self.opening.map_or(Decimal::ZERO, |(a, _)| a) + self.deposits - self.withdrawals
    }
}

/// The lines of a shift. `by_wallet`: accounts whose balances are per
/// wallet, so their requests count toward the wallet named by their
/// method (Paykassma's wallet types are its payment system codes).
pub fn lines(
    opening: &[BalanceLine],
    completed: &[Completed],
    reported: &BTreeMap<AccountId, Vec<(String, String, Decimal)>>,
    by_wallet: &BTreeSet<AccountId>,
) -> Vec<Line> {
    let mut out: BTreeMap<LineKey, Line> = BTreeMap::new();
    let blank = |key: &LineKey| Line {
        key: key.clone(),
        opening: None,
        deposits: Decimal::ZERO,
        deposits_count: 0,
        withdrawals: Decimal::ZERO,
        withdrawals_count: 0,
        reported: None,
    };
    for b in opening {
        let key = (b.account_id, b.wallet.clone(), b.currency.clone());
        out.entry(key.clone())
            .or_insert_with(|| blank(&key))
            .opening = Some((b.amount, b.source));
    }
    for c in completed {
        let wallet = if by_wallet.contains(&c.account_id) {
            c.method.clone()
        } else {
            String::new()
        };
        let key = (c.account_id, wallet, c.currency.clone());
        let l = out.entry(key.clone()).or_insert_with(|| blank(&key));
        match c.kind {
            RequestKind::Deposit => {
                l.deposits += c.amount;
                l.deposits_count += 1;
            }
            RequestKind::Withdrawal => {
                l.withdrawals += c.amount;
                l.withdrawals_count += 1;
            }
        }
    }
    for (account, balances) in reported {
        for (wallet, currency, amount) in balances {
            let key = (*account, wallet.clone(), currency.clone());
            out.entry(key.clone())
                .or_insert_with(|| blank(&key))
                .reported = Some(*amount);
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn done(a: AccountId, kind: RequestKind, method: &str, amount: &str, cur: &str) -> Completed {
        Completed {
            account_id: a,
            kind,
            method: method.into(),
            amount: dec(amount),
            currency: cur.into(),
        }
    }

    #[test]
    fn expected_closing_counted_by_hand() {
        let pk = AccountId::new();
        let zx = AccountId::new();
        let opening = vec![
            BalanceLine {
                account_id: pk,
                wallet: "bkash".into(),
                currency: "BDT".into(),
                amount: dec("10000.00"),
                source: BalanceSource::Provider,
            },
            BalanceLine {
                account_id: zx,
                wallet: String::new(),
                currency: "BDT".into(),
                amount: dec("500"),
                source: BalanceSource::Hand,
            },
        ];
        let completed = vec![
            done(pk, RequestKind::Deposit, "bkash", "750", "BDT"),
            done(pk, RequestKind::Deposit, "bkash", "1250.50", "BDT"),
            done(pk, RequestKind::Withdrawal, "bkash", "600", "BDT"),
            done(pk, RequestKind::Deposit, "nagad", "300", "BDT"),
            done(zx, RequestKind::Deposit, "bkash", "1000", "BDT"),
            done(zx, RequestKind::Withdrawal, "upi", "200", "INR"),
        ];
        let mut reported = BTreeMap::new();
        reported.insert(
            pk,
            vec![
                ("bkash".to_owned(), "BDT".to_owned(), dec("11400.50")),
                ("nagad".to_owned(), "BDT".to_owned(), dec("290")),
            ],
        );
        let by_wallet: BTreeSet<AccountId> = [pk].into();
        let ls = lines(&opening, &completed, &reported, &by_wallet);
        let find = |a: AccountId, w: &str, c: &str| {
            ls.iter()
                .find(|l| l.key == (a, w.to_owned(), c.to_owned()))
                .unwrap()
                .clone()
        };
        // bKash: 10000 + 750 + 1250.50 − 600 = 11400.50, as reported.
        let b = find(pk, "bkash", "BDT");
        assert_eq!((b.deposits_count, b.withdrawals_count), (2, 1));
        assert_eq!(b.expected(), dec("11400.50"));
        assert_eq!(b.reported, Some(dec("11400.50")));
        // Nagad: no opening line, 300 in; reported 290 (a variance of −10).
        let n = find(pk, "nagad", "BDT");
        assert_eq!(n.opening, None);
        assert_eq!(n.expected(), dec("300"));
        assert_eq!(n.reported.unwrap() - n.expected(), dec("-10"));
        // Zexabit (one balance per currency): 500 + 1000; INR −200.
        assert_eq!(find(zx, "", "BDT").expected(), dec("1500"));
        assert_eq!(find(zx, "", "INR").expected(), dec("-200"));
        assert_eq!(find(zx, "", "BDT").reported, None);
        assert_eq!(ls.len(), 4);
    }
}
