//! Comparing what a provider reports with the request before its word
//! settles anything (DESIGN.md section 1). A payment the provider made or
//! credited at another amount or currency is its own state, *amount
//! differs*, which a person decides with both amounts in front of them;
//! a report naming another kind of payment or another user is not this
//! request's evidence and settles nothing.

use cashdesk_domain::{Money, RequestKind, RequestStatus};
use cashdesk_store::{ProviderFacts, RequestRecord};
use rust_decimal::Decimal;

/// What a provider reported about a payment it settled; `None` where the
/// provider's message does not carry the fact.
#[derive(Debug, Default, Clone)]
pub(crate) struct Reported<'a> {
    pub kind: Option<RequestKind>,
    pub amount: Option<Decimal>,
    /// `None` when the provider names no currency (Zexabit's webhook: the
    /// method's currency, which is the request's).
    pub currency: Option<&'a str>,
    /// The user as the provider names them, and the request's own name for
    /// that user in the same terms (Paykassma `label`, Zexabit `userId`).
    pub user: Option<(&'a str, Option<&'a str>)>,
}

/// How a report fits the request.
#[derive(Debug, PartialEq)]
pub(crate) enum Fit {
    /// The same payment, at the settled amount (when one was reported).
    Same(Option<Money>),
    /// The same payment, settled at another amount or currency.
    Differs { settled: Money, why: String },
    /// Another kind of payment or another user: not evidence for this one.
    Foreign(String),
}

pub(crate) fn compare(rec: &RequestRecord, r: &Reported<'_>) -> Fit {
    if let Some(kind) = r.kind.filter(|k| *k != rec.kind) {
        return Fit::Foreign(format!(
            "the provider reports a {} but this request is a {}",
            kind.as_str(),
            rec.kind.as_str()
        ));
    }
    if let Some((theirs, Some(ours))) = r.user
        && theirs.trim() != ours.trim()
    {
        return Fit::Foreign(format!(
            "the provider names user {theirs:?} but this request is for {ours:?}"
        ));
    }
    let Some(amount) = r.amount else {
        return Fit::Same(None);
    };
    let currency = r.currency.unwrap_or(rec.money.currency.code());
    let settled = match Money::parse(&amount.to_string(), currency) {
        Ok(m) => m,
        Err(e) => {
            return Fit::Foreign(format!(
                "the provider reports {amount} {currency}, which Cashdesk cannot read as money: {e}"
            ));
        }
    };
    if settled.currency == rec.money.currency && settled.amount == rec.money.amount {
        return Fit::Same(Some(settled));
    }
    let why = format!(
        "the provider settled {} but the request asked for {}",
        settled.display(),
        rec.money.display()
    );
    Fit::Differs { settled, why }
}

/// The transition a completing report leads to, after comparing: the
/// status, the facts with the settled amount, and why (or `Err(why)`
/// when the report is not this request's).
pub(crate) fn completing(
    rec: &RequestRecord,
    reported: &Reported<'_>,
    mut facts: ProviderFacts,
    why: &str,
) -> Result<(RequestStatus, ProviderFacts, String), String> {
    match compare(rec, reported) {
        Fit::Same(settled) => {
            facts.settled = settled;
            Ok((RequestStatus::Completed, facts, why.to_owned()))
        }
        Fit::Differs { settled, why: diff } => {
            facts.settled = Some(settled);
            Ok((
                RequestStatus::AmountDiffers,
                facts,
                format!("{why}, but {diff}: a person decides"),
            ))
        }
        Fit::Foreign(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cashdesk_domain::{AccountId, MerchantRef, ProviderKind, RequestId};

    fn rec(amount: &str, currency: &str) -> RequestRecord {
        let now = chrono::Utc::now();
        RequestRecord {
            id: RequestId::new(),
            kind: RequestKind::Deposit,
            provider: ProviderKind::Paykassma,
            account_id: AccountId::new(),
            method: "bkash".into(),
            money: Money::parse(amount, currency).unwrap(),
            end_user_ref: "bd_rahim".into(),
            end_user_name: None,
            provider_user_id: None,
            trx_id: None,
            sender: None,
            destination: None,
            agent_number: None,
            merchant_ref: MerchantRef("cd-1".into()),
            provider_txn_id: None,
            provider_status: None,
            provider_reason: None,
            status: RequestStatus::AwaitingProvider,
            status_reason: None,
            source: cashdesk_store::Source::Intake,
            intake_ref: None,
            created_at: now,
            updated_at: now,
            version: 1,
            details: serde_json::json!({}),
            settled: None,
            entered_by: None,
            first_approver: None,
            due: None,
        }
    }

    fn reported(amount: &str, currency: Option<&'static str>) -> Reported<'static> {
        Reported {
            amount: Some(amount.parse().unwrap()),
            currency,
            ..Default::default()
        }
    }

    #[test]
    fn the_same_amount_in_other_digits_is_the_same() {
        let r = rec("500.00", "BDT");
        let settled = Money::parse("500", "BDT").unwrap();
        assert_eq!(
            compare(&r, &reported("500", Some("BDT"))),
            Fit::Same(Some(settled))
        );
        assert!(matches!(
            compare(&r, &reported("500.0", None)),
            Fit::Same(_)
        ));
    }

    #[test]
    fn less_more_or_another_currency_differs_and_names_both_amounts() {
        let r = rec("500", "BDT");
        for (amount, cur) in [("450", "BDT"), ("1500", "BDT"), ("500", "INR")] {
            match compare(&r, &reported(amount, Some(cur))) {
                Fit::Differs { settled, why } => {
                    assert_eq!(settled.currency.code(), cur);
                    assert!(why.contains("500.00 BDT"), "{why}");
                }
                other => panic!("{amount} {cur}: {other:?}"),
            }
        }
    }

    #[test]
    fn another_kind_or_user_is_not_this_requests_evidence() {
        let r = rec("500", "BDT");
        let kind = Reported {
            kind: Some(RequestKind::Withdrawal),
            ..reported("500", Some("BDT"))
        };
        assert!(matches!(compare(&r, &kind), Fit::Foreign(_)));
        let user = Reported {
            user: Some(("someone_else", Some("bd_rahim"))),
            ..reported("500", Some("BDT"))
        };
        assert!(matches!(compare(&r, &user), Fit::Foreign(_)));
        let unknown_ours = Reported {
            user: Some(("someone_else", None)),
            ..reported("500", Some("BDT"))
        };
        assert!(matches!(compare(&r, &unknown_ours), Fit::Same(_)));
    }

    #[test]
    fn a_completing_report_that_differs_needs_a_person() {
        let r = rec("500", "BDT");
        let (to, facts, why) = completing(
            &r,
            &reported("450", Some("BDT")),
            ProviderFacts::default(),
            "Paykassma credited the deposit",
        )
        .unwrap();
        assert_eq!(to, RequestStatus::AmountDiffers);
        assert_eq!(facts.settled.unwrap().amount.to_string(), "450.00");
        assert!(why.contains("a person decides"), "{why}");
    }
}
