//! The request lifecycle from PRODUCT.md as an explicit transition table.
//! Every status change in the store goes through [`RequestStatus::check`], so
//! no code path can, say, send an already-rejected request.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RequestStatus {
    /// In the queue, waiting for an agent.
    Pending,
    /// Above the threshold: a second, different person must approve.
    AwaitingSecondApproval,
    /// Decided; the provider call is in the outbox, not yet sent.
    Approved,
    /// The outbox worker has taken the call and may have sent it.
    Submitting,
    /// The provider accepted the call; its final answer is awaited.
    AwaitingProvider,
    Completed,
    RejectedByProvider,
    /// The provider refused the call in a way a person must look at.
    Failed,
    /// The call may or may not have arrived and the provider offers no lookup:
    /// settled by a matching webhook/status or by a person, never by resending.
    OutcomeUnknown,
    /// Rejected by an agent, with a reason. Nothing was sent.
    Rejected,
    Expired,
    /// The provider settled another amount (or currency) than requested:
    /// a person looks at both amounts and decides. Never settled silently.
    AmountDiffers,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a request that is {} cannot become {}", from.label(), to.label())]
pub struct TransitionError {
    pub from: RequestStatus,
    pub to: RequestStatus,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 12] = [
        Self::Pending,
        Self::AwaitingSecondApproval,
        Self::Approved,
        Self::Submitting,
        Self::AwaitingProvider,
        Self::Completed,
        Self::RejectedByProvider,
        Self::Failed,
        Self::OutcomeUnknown,
        Self::Rejected,
        Self::Expired,
        Self::AmountDiffers,
    ];

    /// The statuses a transition may lead to from `self`.
    pub fn next(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            Pending => &[AwaitingSecondApproval, Approved, Rejected, Expired],
            AwaitingSecondApproval => &[Approved, Rejected, Expired],
            Approved => &[Submitting, Failed],
            // Back to Approved only when the call certainly did not arrive
            // (refused before sending, 429): it is then safe to send again.
            Submitting => &[
                Approved,
                AwaitingProvider,
                Completed,
                RejectedByProvider,
                Failed,
                OutcomeUnknown,
                AmountDiffers,
            ],
            AwaitingProvider => &[
                Completed,
                RejectedByProvider,
                Failed,
                Expired,
                AmountDiffers,
            ],
            // Approved again only after a lookup proved the call never
            // arrived, or on a person's word.
            OutcomeUnknown => &[
                Completed,
                RejectedByProvider,
                AwaitingProvider,
                Approved,
                Failed,
                AmountDiffers,
            ],
            // A person accepts what the provider settled (completed at
            // the settled amount); nothing is sent again.
            AmountDiffers => &[Completed],
            // A person retries (after fixing the cause) or gives up.
            Failed => &[Approved, Rejected],
            // Only when the provider refuses to carry the rejection out
            // (CashWeb: the deposit arrived before the cancel): a person
            // decides again with the provider's real state shown.
            Rejected => &[Failed],
            Completed | RejectedByProvider | Expired => &[],
        }
    }

    pub fn check(self, to: RequestStatus) -> Result<(), TransitionError> {
        if self.next().contains(&to) {
            Ok(())
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// Final for the lifecycle: nothing but a provider's refusal of a
    /// rejection's follow-up (see `next`) ever moves it again.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::RejectedByProvider | Self::Rejected | Self::Expired
        )
    }

    /// Statuses an agent can still decide on.
    pub fn is_decidable(self) -> bool {
        matches!(self, Self::Pending | Self::AwaitingSecondApproval)
    }

    /// The status in words, as the UI shows it (never colour alone).
    pub fn label(self) -> &'static str {
        use RequestStatus::*;
        match self {
            Pending => "pending",
            AwaitingSecondApproval => "awaiting second approval",
            Approved => "waiting to send",
            Submitting => "sending",
            AwaitingProvider => "awaiting provider",
            Completed => "completed",
            RejectedByProvider => "rejected by provider",
            Failed => "failed — needs attention",
            OutcomeUnknown => "outcome unknown — check with provider",
            Rejected => "rejected",
            Expired => "expired",
            AmountDiffers => "amount differs — needs a person",
        }
    }

    /// The stable text stored in SQLite (same as the serde name).
    pub fn as_str(self) -> &'static str {
        use RequestStatus::*;
        match self {
            Pending => "pending",
            AwaitingSecondApproval => "awaiting_second_approval",
            Approved => "approved",
            Submitting => "submitting",
            AwaitingProvider => "awaiting_provider",
            Completed => "completed",
            RejectedByProvider => "rejected_by_provider",
            Failed => "failed",
            OutcomeUnknown => "outcome_unknown",
            Rejected => "rejected",
            Expired => "expired",
            AmountDiffers => "amount_differs",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::RequestStatus::{self, *};

    #[test]
    fn the_happy_paths_are_allowed() {
        for path in [
            &[Pending, Approved, Submitting, AwaitingProvider, Completed][..],
            &[
                Pending,
                AwaitingSecondApproval,
                Approved,
                Submitting,
                Completed,
            ],
            &[Pending, Rejected],
            &[Pending, Approved, Submitting, OutcomeUnknown, Completed],
        ] {
            for pair in path.windows(2) {
                assert!(
                    pair[0].check(pair[1]).is_ok(),
                    "{:?} -> {:?}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn terminal_statuses_never_change() {
        for t in [Completed, RejectedByProvider, Expired] {
            assert!(t.is_terminal());
            for to in RequestStatus::ALL {
                assert!(t.check(to).is_err(), "{t:?} must not become {to:?}");
            }
        }
        // A rejection the provider refused to carry out needs a person.
        assert!(Rejected.is_terminal());
        for to in RequestStatus::ALL {
            assert_eq!(Rejected.check(to).is_ok(), to == Failed, "{to:?}");
        }
    }

    #[test]
    fn nothing_is_sent_without_an_approval() {
        // Submitting is reachable only from Approved.
        for from in RequestStatus::ALL {
            if from != Approved {
                assert!(from.check(Submitting).is_err(), "{from:?} -> Submitting");
            }
        }
    }

    #[test]
    fn an_unknown_outcome_is_never_simply_resent() {
        // It can go back to Approved (and so be sent) only as a deliberate
        // transition recorded after a lookup; never straight to Submitting.
        assert!(OutcomeUnknown.check(Submitting).is_err());
        assert!(OutcomeUnknown.check(Pending).is_err());
    }

    #[test]
    fn a_rejected_request_cannot_be_approved() {
        assert!(Rejected.check(Approved).is_err());
        assert!(
            Pending.check(Completed).is_err(),
            "no completion without sending"
        );
    }

    #[test]
    fn names_round_trip() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn errors_name_both_ends_in_words() {
        let e = Rejected.check(Approved).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a request that is rejected cannot become waiting to send"
        );
    }
}
