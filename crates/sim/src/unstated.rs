//! Answers the provider documents leave open. Where a document is silent,
//! Cashdesk must stay safe under every plausible answer, not only the one
//! its adapters assume; so each simulator plays the answer a test picks,
//! and the money tests run under [`Unstated::each`].

use std::time::Duration;

/// What a provider does with an id it has seen before (Paykassma's
/// `withdrawal_id` / `custom_transaction_id`, Zimo-pagos' `external_id`):
/// no document says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RepeatedId {
    /// Refused as taken (what the adapters once assumed).
    #[default]
    Refused,
    /// Taken as a new payment: a second payout under the same id.
    AcceptedAsNew,
}

/// What a deposit credits: no document promises the amount the request
/// named (a customer pays less; Paykassma pools savings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credit {
    /// The amount asked.
    #[default]
    Requested,
    /// A tenth less, in whole units (at least one unit less).
    Less,
}

/// The order of CashWeb's transaction list: the document does not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListOrder {
    #[default]
    NewestFirst,
    OldestFirst,
}

/// CashWeb's status names past `awaiting_deposit`, the only one its
/// document gives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusNames {
    /// The names the adapter once assumed (`deposit_detected`,
    /// `confirming`, `confirmed`).
    #[default]
    Assumed,
    /// Other names (`deposit_seen`, `processing`, `completed`), with the
    /// same documented reconciliation fields.
    Other,
}

/// How often a push (Zexabit webhook, Paykassma postback, Zimo-pagos
/// notification) arrives: the documents retry on failure but never promise
/// once on success.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Deliveries {
    #[default]
    Once,
    /// Each accepted push is sent twice more.
    Repeated,
}

/// Whether a push (Zexabit's webhook, Paykassma's postback, Zimo-pagos'
/// notification) may overtake the HTTP answer of the call that caused it:
/// no document orders them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PushOrder {
    #[default]
    AnswerFirst,
    /// The transaction settles at once and its webhook is sent before the
    /// HTTP answer, which waits for it.
    PushFirst,
}

/// One answer to each open question, as a simulator plays it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unstated {
    pub repeated_id: RepeatedId,
    /// Lookups (Zimo-pagos status, Paykassma postback lookups) do not see
    /// an item until this long after it was made.
    pub lookup_lag: Duration,
    /// What a settled deposit credits and reports.
    pub credit: Credit,
    pub list_order: ListOrder,
    pub status_names: StatusNames,
    pub deliveries: Deliveries,
    pub push_order: PushOrder,
}

impl Unstated {
    /// Every combination of repeated id and lag (with a lag long enough
    /// to outlast the first lookups of a test); the credit answer takes
    /// turns across them, so each of its answers meets each of the others'.
    pub fn each(lag: Duration) -> Vec<Unstated> {
        let mut all = Vec::new();
        for repeated_id in [RepeatedId::Refused, RepeatedId::AcceptedAsNew] {
            for lookup_lag in [Duration::ZERO, lag] {
                let n = all.len();
                let credit = if (n + 1) % 4 < 2 {
                    Credit::Requested
                } else {
                    Credit::Less
                };
                let list_order = if n < 2 {
                    ListOrder::NewestFirst
                } else {
                    ListOrder::OldestFirst
                };
                let status_names = if n % 2 == 0 {
                    StatusNames::Assumed
                } else {
                    StatusNames::Other
                };
                let deliveries = if n == 1 || n == 2 {
                    Deliveries::Repeated
                } else {
                    Deliveries::Once
                };
                let push_order = if n % 2 == 1 {
                    PushOrder::PushFirst
                } else {
                    PushOrder::AnswerFirst
                };
                all.push(Unstated {
                    repeated_id,
                    lookup_lag,
                    credit,
                    list_order,
                    status_names,
                    deliveries,
                    push_order,
                });
            }
        }
        all
    }

    /// Every combination of every answer (2^7 = 128): the randomised
    /// crash harness draws one per run, so over enough runs no pairing of
    /// answers goes untried.
    pub fn all(lag: Duration) -> Vec<Unstated> {
        (0..128u32)
            .map(|bits| {
                let on = |i: u32| bits & (1 << i) != 0;
                Unstated {
                    repeated_id: if on(0) {
                        RepeatedId::AcceptedAsNew
                    } else {
                        RepeatedId::Refused
                    },
                    lookup_lag: if on(1) { lag } else { Duration::ZERO },
                    credit: if on(2) {
                        Credit::Less
                    } else {
                        Credit::Requested
                    },
                    list_order: if on(3) {
                        ListOrder::OldestFirst
                    } else {
                        ListOrder::NewestFirst
                    },
                    status_names: if on(4) {
                        StatusNames::Other
                    } else {
                        StatusNames::Assumed
                    },
                    deliveries: if on(5) {
                        Deliveries::Repeated
                    } else {
                        Deliveries::Once
                    },
                    push_order: if on(6) {
                        PushOrder::PushFirst
                    } else {
                        PushOrder::AnswerFirst
                    },
                }
            })
            .collect()
    }

    /// Each switch with its answer here ("credit Less"), for figures per answer.
    pub fn answers(&self) -> [String; 7] {
        [
            format!("repeated id {:?}", self.repeated_id),
            format!("lookup lag {:?}", self.lookup_lag),
            format!("credit {:?}", self.credit),
            format!("list {:?}", self.list_order),
            format!("status names {:?}", self.status_names),
            format!("pushes {:?}", self.deliveries),
            format!("order {:?}", self.push_order),
        ]
    }

    /// What a deposit of `asked` credits under this answer.
    pub fn credited(&self, asked: rust_decimal::Decimal) -> rust_decimal::Decimal {
        use rust_decimal::Decimal;
        match self.credit {
            Credit::Requested => asked,
            Credit::Less => {
                let less = (asked * Decimal::new(9, 1)).floor();
                if less >= asked {
                    (asked - Decimal::ONE).max(Decimal::ZERO)
                } else {
                    less
                }
            }
        }
    }

    /// How long a provider's own clock waits before it settles and pushes:
    /// at once when the push overtakes the answer.
    pub fn push_after(&self, normal: Duration) -> Duration {
        match self.push_order {
            PushOrder::AnswerFirst => normal,
            PushOrder::PushFirst => Duration::ZERO,
        }
    }

    /// How long the HTTP answer of a money-moving call waits, so that a
    /// push sent at once is on its way first.
    pub fn answer_delay(&self) -> Duration {
        match self.push_order {
            PushOrder::AnswerFirst => Duration::ZERO,
            PushOrder::PushFirst => Duration::from_millis(400),
        }
    }

    /// Whether an item made at `made` shows in a lookup yet.
    pub fn visible(&self, made: std::time::Instant) -> bool {
        made.elapsed() >= self.lookup_lag
    }

    /// How many times an accepted push is sent.
    pub fn copies(&self) -> usize {
        match self.deliveries {
            Deliveries::Once => 1,
            Deliveries::Repeated => 3,
        }
    }

    /// Whether a repeated id is taken as a new payment.
    pub fn pays_repeats(&self) -> bool {
        self.repeated_id == RepeatedId::AcceptedAsNew
    }
}

impl std::fmt::Display for Unstated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "repeated id {:?}, lag {:?}, credit {:?}, list {:?}, names {:?}, pushes {:?}, {:?}",
            self.repeated_id,
            self.lookup_lag,
            self.credit,
            self.list_order,
            self.status_names,
            self.deliveries,
            self.push_order
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_covers_every_answer_once() {
        let all = Unstated::each(Duration::from_secs(1));
        assert_eq!(all.len(), 4);
        assert!(
            all.iter()
                .any(|u| u.pays_repeats() && !u.lookup_lag.is_zero())
        );
        assert!(
            all.iter()
                .any(|u| !u.pays_repeats() && u.lookup_lag.is_zero())
        );
        for credit in [Credit::Requested, Credit::Less] {
            for repeated in [RepeatedId::Refused, RepeatedId::AcceptedAsNew] {
                assert!(
                    all.iter()
                        .any(|u| u.credit == credit && u.repeated_id == repeated)
                );
            }
            for lag in [Duration::ZERO, Duration::from_secs(1)] {
                assert!(
                    all.iter()
                        .any(|u| u.credit == credit && u.lookup_lag == lag)
                );
            }
        }
    }

    #[test]
    fn all_is_every_combination_once() {
        let all = Unstated::all(Duration::from_secs(1));
        assert_eq!(all.len(), 128);
        for (i, a) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|b| b != a), "{a} twice");
        }
    }

    #[test]
    fn each_push_answer_is_played() {
        let all = Unstated::each(Duration::from_secs(1));
        for d in [Deliveries::Once, Deliveries::Repeated] {
            for o in [PushOrder::AnswerFirst, PushOrder::PushFirst] {
                assert!(all.iter().any(|u| u.deliveries == d && u.push_order == o));
            }
        }
    }

    #[test]
    fn each_cashweb_answer_is_played() {
        let all = Unstated::each(Duration::from_secs(1));
        for order in [ListOrder::NewestFirst, ListOrder::OldestFirst] {
            assert!(all.iter().any(|u| u.list_order == order));
        }
        for names in [StatusNames::Assumed, StatusNames::Other] {
            for order in [ListOrder::NewestFirst, ListOrder::OldestFirst] {
                assert!(
                    all.iter()
                        .any(|u| u.status_names == names && u.list_order == order)
                );
            }
        }
    }

    #[test]
    fn less_credits_less_in_whole_units() {
        let less = Unstated {
            credit: Credit::Less,
            ..Unstated::default()
        };
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(less.credited(d("500")), d("450"));
        assert_eq!(less.credited(d("5")), d("4"));
        assert_eq!(Unstated::default().credited(d("500")), d("500"));
    }
}
