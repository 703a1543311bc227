//! Identifier newtypes: a request id can never be passed where an account id
//! is expected, and ids sort by creation time (UUIDv7).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema)]
        #[serde(transparent)]
        #[ts(export, type = "string")]
        #[schema(value_type = String)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// One deposit or withdrawal request.
    RequestId
);
uuid_id!(
    /// One configured connection to one provider.
    AccountId
);
uuid_id!(
    /// A draft the agent is typing.
    DraftId
);
uuid_id!(
    /// A person who logs in at the desk.
    OperatorId
);

/// Our reference for a request toward its provider: unique, stable across
/// every retry, so the provider (and we) can recognise a resend.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(export)]
pub struct MerchantRef(pub String);

impl MerchantRef {
    /// Derived from the request id so it is known before anything is sent.
    pub fn for_request(id: RequestId) -> Self {
        Self(format!("cd-{}", id.0.simple()))
    }
}

impl fmt::Display for MerchantRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_strings() {
        let id = RequestId::new();
        assert_eq!(id.to_string().parse::<RequestId>().unwrap(), id);
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let a = RequestId::new();
        let b = RequestId::new();
        assert!(a < b, "UUIDv7 ids must sort by creation time");
    }

    #[test]
    fn merchant_ref_is_stable_for_a_request() {
        let id = RequestId::new();
        assert_eq!(MerchantRef::for_request(id), MerchantRef::for_request(id));
    }
}
