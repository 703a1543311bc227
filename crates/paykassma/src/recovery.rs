//! Withdrawals and everything that tells us what became of a request:
//! pushed postbacks, postback lookup by id, pullpostbacks and balances.
//!
//! The lookups are the only safe answer to an ambiguous failure (see the
//! recovery notes in [`crate::assumptions`]): they read, never write, so
//! they can be repeated as often as needed.

use crate::assumptions::{ARRAY_PARAM_SUFFIX, POSTBACK_NOT_FOUND_TEXT};
use crate::client::{Answer, Body, Client};
use crate::error::{Error, ProviderMessage};
use crate::lookup::{
    Balance, Balances, Paginate, PostbackLookup, PostbackType, Pulled, PulledDeposit,
    PulledDeposits, PulledWithdrawal, PulledWithdrawals,
};
use crate::postback::{self, DepositPostback, PostbackError, Received, WithdrawalPostback};
use crate::validate::{self, ValidationError};
use crate::withdrawal::CreateWithdrawalRequest;
use reqwest::Method;
use serde::de::DeserializeOwned;

/// Assumption: lookup ids are plain strings of at most this many characters.
const MAX_LOOKUP_ID: usize = 190;

impl Client {
    /// `POST /v2/withdrawal/create`, signed with the private key, without
    /// the secret. Not idempotent: on an error with
    /// [`Error::may_have_taken_effect`], look it up by `withdrawal_id`; a
    /// resend with the same id is refused as [`Error::AlreadyUsed`].
    pub async fn create_withdrawal(&self, req: &CreateWithdrawalRequest) -> Result<(), Error> {
        req.validate(&self.config.rules)?;
        let body = serde_json::to_vec(&req.signed_body(&self.private_key)).map_err(|e| {
            Error::NotSent {
                message: format!("withdrawal body could not be encoded: {e}"),
            }
        })?;
        let path = self.config.paths.withdrawal_create.clone();
        let answer = self
            .call(Method::POST, &path, &[], false, Body::Json(body))
            .await?;
        let result = answer.success().map(|_| ());
        if let Err(e) = &result {
            tracing::warn!(path, status = answer.status, error = %e, "withdrawal refused");
        }
        result
    }

    /// Checks a pushed postback's signature, then reads it.
    pub fn verify_postback(&self, body: &[u8]) -> Result<Received, PostbackError> {
        postback::verify(&self.private_key, self.config.postback_policy, body)
    }

    /// `GET postback?type=deposit&transaction_id=…` (the user's TrxID).
    pub async fn postback_by_transaction_id(
        &self,
        transaction_id: &str,
    ) -> Result<PostbackLookup<DepositPostback>, Error> {
        self.postback(PostbackType::Deposit, "transaction_id", transaction_id)
            .await
    }

    /// `GET postback?type=deposit&custom_id=…` (our custom transaction id).
    pub async fn postback_by_custom_id(
        &self,
        custom_id: &str,
    ) -> Result<PostbackLookup<DepositPostback>, Error> {
        self.postback(PostbackType::Deposit, "custom_id", custom_id)
            .await
    }

    /// `GET postback?type=withdrawal&withdrawal_id=…`.
    pub async fn postback_by_withdrawal_id(
        &self,
        withdrawal_id: &str,
    ) -> Result<PostbackLookup<WithdrawalPostback>, Error> {
        self.postback(PostbackType::Withdrawal, "withdrawal_id", withdrawal_id)
            .await
    }

    async fn postback<T: DeserializeOwned>(
        &self,
        kind: PostbackType,
        id_name: &str,
        id: &str,
    ) -> Result<PostbackLookup<T>, Error> {
        validate::text(id_name, id, MAX_LOOKUP_ID)?;
        let query = [
            ("type".to_owned(), kind.as_str().to_owned()),
            (id_name.to_owned(), id.to_owned()),
        ];
        let path = self.config.paths.postback.clone();
        let answer = self
            .call(Method::GET, &path, &query, true, Body::None)
            .await?;
        match answer.success() {
            Ok(json) => Answer::field(&json, "postback").map(PostbackLookup::Found),
            Err(Error::Refused { message, .. }) if not_found(&message) => {
                Ok(PostbackLookup::NotFound {
                    message: message.to_string(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// `GET pullpostbacks?type=deposit&plugin_custom_order_id[]=…`: one
    /// entry per custom id, with its postback or "Postback not found".
    pub async fn pull_deposit_postbacks(
        &self,
        custom_ids: &[String],
    ) -> Result<Pulled<PulledDeposit>, Error> {
        let (data, paginate): (PulledDeposits, _) = self
            .pull(PostbackType::Deposit, "plugin_custom_order_id", custom_ids)
            .await?;
        Ok(Pulled {
            items: data.transactions,
            paginate,
        })
    }

    /// `GET pullpostbacks?type=withdrawal&withdrawal_id[]=…`.
    pub async fn pull_withdrawal_postbacks(
        &self,
        withdrawal_ids: &[String],
    ) -> Result<Pulled<PulledWithdrawal>, Error> {
        let (data, paginate): (PulledWithdrawals, _) = self
            .pull(PostbackType::Withdrawal, "withdrawal_id", withdrawal_ids)
            .await?;
        Ok(Pulled {
            items: data.withdrawals,
            paginate,
        })
    }

    async fn pull<T: DeserializeOwned>(
        &self,
        kind: PostbackType,
        ids_name: &str,
        ids: &[String],
    ) -> Result<(T, Option<Paginate>), Error> {
        if ids.is_empty() {
            return Err(ValidationError::Empty {
                field: ids_name.to_owned(),
            }
            .into());
        }
        let name = format!("{ids_name}{ARRAY_PARAM_SUFFIX}");
        let mut query = vec![("type".to_owned(), kind.as_str().to_owned())];
        for id in ids {
            validate::text(ids_name, id, MAX_LOOKUP_ID)?;
            query.push((name.clone(), id.clone()));
        }
        let path = self.config.paths.pullpostbacks.clone();
        let json = self
            .call_json(Method::GET, &path, &query, None::<&()>)
            .await?;
        let data = Answer::field(&json, "data")?;
        let paginate = json
            .get("paginate")
            .and_then(|p| serde_json::from_value(p.clone()).ok());
        Ok((data, paginate))
    }

    /// `GET accounts-balance`: every account balance but the Settlement one.
    pub async fn balances(&self) -> Result<Vec<Balance>, Error> {
        let path = self.config.paths.accounts_balance.clone();
        let json = self.call_json(Method::GET, &path, &[], None::<&()>).await?;
        let data: Balances = Answer::field(&json, "data")?;
        Ok(data.balances)
    }
}

fn not_found(message: &ProviderMessage) -> bool {
    matches!(message, ProviderMessage::Text(t) if t.eq_ignore_ascii_case(POSTBACK_NOT_FOUND_TEXT))
}
