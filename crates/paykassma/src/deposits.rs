//! Deposit endpoints: payment systems, media hints, payment creation and
//! activation (automatic and manual), savings and redirect URL hashing.
//!
//! Each request is validated before it is sent. Activation outcomes that
//! are not refusals (a possible transaction, a started status check) come
//! back as values, so "pending" is never mistaken for "failed".

use crate::assumptions::{ARRAY_PARAM_SUFFIX, CHECK_STARTED_TEXT};
use crate::client::{Answer, Body, Client, fill};
use crate::error::Error;
use crate::pages::{
    BkashApiPaymentRequest, BkashPayment, CreatePaymentRequest, HashUrlRequest, HashedUrls,
    NagadApiPaymentRequest,
};
use crate::wire::{
    ActivateRequest, ActivationOutcome, CreateTransactionRequest, DepositInfo, DepositInfoQuery,
    MediaHints, PaymentSystems, PaymentSystemsQuery, PossibleTransactionOutcome,
    PossibleTransactionRequest, TransactionCreated,
};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// Status of a documented "not found yet, kept for later" answer.
const POSSIBLE_TRANSACTION_CREATED: &str = "possible_transaction_created";

impl Client {
    /// `GET payment-systems/available`: the PS for these currencies.
    pub async fn payment_systems(&self, q: &PaymentSystemsQuery) -> Result<PaymentSystems, Error> {
        q.validate()?;
        let name = format!("currency_code{ARRAY_PARAM_SUFFIX}");
        let mut query: Vec<(String, String)> = q
            .currency_codes
            .iter()
            .map(|c| (name.clone(), c.clone()))
            .collect();
        query.push(("label".into(), q.label.clone()));
        let path = self.config.paths.payment_systems.clone();
        let json = self
            .call_json(Method::GET, &path, &query, None::<&()>)
            .await?;
        Answer::field(&json, "params")
    }

    /// `GET wallet-type/images/`: how-to-pay media by wallet type.
    pub async fn media_hints(&self) -> Result<MediaHints, Error> {
        let path = self.config.paths.media_hints.clone();
        let json = self.call_json(Method::GET, &path, &[], None::<&()>).await?;
        Answer::field(&json, "data")
    }

    /// `POST transaction/create/{wallet_type}`: where the user should pay.
    pub async fn create_transaction(
        &self,
        wallet_type: &str,
        req: &CreateTransactionRequest,
    ) -> Result<TransactionCreated, Error> {
        req.validate(wallet_type)?;
        let path = fill(
            &self.config.paths.transaction_create,
            "{wallet_type}",
            wallet_type,
        );
        let json = self.call_json(Method::POST, &path, &[], Some(req)).await?;
        Answer::field(&json, "params")
    }

    /// `POST transaction/activate` (PS with `is_manual = false`), key1 being
    /// the user's transaction id. Not idempotent: on an error with
    /// [`Error::may_have_taken_effect`], look it up by custom id.
    pub async fn activate(&self, req: &ActivateRequest) -> Result<ActivationOutcome, Error> {
        req.validate(&self.config.rules)?;
        let body = serde_json::to_vec(req).map_err(|e| Error::NotSent {
            message: format!("request body could not be encoded: {e}"),
        })?;
        let path = self.config.paths.transaction_activate.clone();
        let answer = self
            .call(Method::POST, &path, &[], true, Body::Json(body))
            .await?;
        if answer.status == 400 && answer.text().contains(CHECK_STARTED_TEXT) {
            return Ok(ActivationOutcome::CheckStarted {
                message: message_of(&answer),
            });
        }
        if let Some(message) = possible_transaction(&answer) {
            return Ok(ActivationOutcome::PossibleTransactionCreated { message });
        }
        answer.success().map(|_| ActivationOutcome::Activated)
    }

    /// `POST possible-transaction` (PS with `is_manual = true`) as
    /// multipart/form-data, with the payment screenshot when given.
    pub async fn possible_transaction(
        &self,
        req: &PossibleTransactionRequest,
    ) -> Result<PossibleTransactionOutcome, Error> {
        req.validate(&self.config.rules)?;
        let mut form = Form::new()
            .text("currency_code", req.currency_code.clone())
            .text("wallet_type", req.wallet_type.clone())
            .text("label", req.label.clone())
            .text("key1", req.key1.clone())
            .text("amount", req.amount.to_string())
            .text("custom_id", req.custom_id.clone());
        if let Some(shot) = &req.screenshot {
            let part = Part::bytes(shot.bytes.clone())
                .file_name(shot.file_name.clone())
                .mime_str(&shot.content_type)
                .map_err(|e| Error::NotSent {
                    message: format!("screenshot type {} is unusable: {e}", shot.content_type),
                })?;
            form = form.part("screenshot", part);
        }
        let path = self.config.paths.possible_transaction.clone();
        let answer = self
            .call(Method::POST, &path, &[], true, Body::Multipart(form))
            .await?;
        if let Some(message) = possible_transaction(&answer) {
            return Ok(PossibleTransactionOutcome::PossibleTransactionCreated { message });
        }
        answer
            .success()
            .map(|_| PossibleTransactionOutcome::Accepted)
    }

    /// `POST payment/create/{payment_system}` for PS without activation.
    pub async fn create_payment(
        &self,
        payment_system: &str,
        req: &CreatePaymentRequest,
    ) -> Result<(), Error> {
        req.validate(payment_system)?;
        let path = fill(
            &self.config.paths.payment_create,
            "{payment_system}",
            payment_system,
        );
        self.call_json(Method::POST, &path, &[], Some(req)).await?;
        Ok(())
    }

    /// `POST payment/create/bkash_api`: the bKash page to send the user to.
    pub async fn create_bkash_api_payment(
        &self,
        req: &BkashApiPaymentRequest,
    ) -> Result<BkashPayment, Error> {
        req.validate(&self.config.rules)?;
        let path = fill(
            &self.config.paths.payment_create,
            "{payment_system}",
            "bkash_api",
        );
        let json = self.call_json(Method::POST, &path, &[], Some(req)).await?;
        Answer::field(&json, "data")
    }

    /// `POST payment/create/nagad_api`: the Nagad page (`payment_url`).
    pub async fn create_nagad_api_payment(
        &self,
        req: &NagadApiPaymentRequest,
    ) -> Result<String, Error> {
        req.validate()?;
        let path = fill(
            &self.config.paths.payment_create,
            "{payment_system}",
            "nagad_api",
        );
        let json = self.call_json(Method::POST, &path, &[], Some(req)).await?;
        Answer::field(&json, "payment_url")
    }

    /// `GET deposit-info`: the user's savings toward the minimum deposit.
    pub async fn deposit_info(&self, q: &DepositInfoQuery) -> Result<DepositInfo, Error> {
        q.validate()?;
        let mut query = vec![
            ("label".to_owned(), q.label.clone()),
            ("wallet_type".to_owned(), q.wallet_type.clone()),
            ("currency".to_owned(), q.currency.clone()),
        ];
        if let Some(code) = &q.code {
            query.push(("code".into(), code.clone()));
        }
        let path = self.config.paths.deposit_info.clone();
        let json = self
            .call_json(Method::GET, &path, &query, None::<&()>)
            .await?;
        serde_json::from_value(Value::Object(json)).map_err(|e| Error::Unknown {
            message: format!("deposit info is not what the document describes: {e}"),
        })
    }

    /// `POST payment-plugin/hash-url`: hashes for the widget's redirect
    /// addresses, valid one day.
    pub async fn hash_urls(&self, req: &HashUrlRequest) -> Result<HashedUrls, Error> {
        req.validate()?;
        let path = self.config.paths.hash_url.clone();
        let json = self.call_json(Method::POST, &path, &[], Some(req)).await?;
        Answer::field(&json, "urls")
    }
}

/// The message of a `possible_transaction_created` answer, if it is one.
fn possible_transaction(answer: &Answer) -> Option<String> {
    let is_it = answer.status < 500
        && answer.status_field().as_deref() == Some(POSSIBLE_TRANSACTION_CREATED);
    is_it.then(|| message_of(answer))
}

/// The body's `message` as text, or the body itself.
fn message_of(answer: &Answer) -> String {
    match answer.json().and_then(|j| j.get("message").cloned()) {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => answer.text(),
    }
}
