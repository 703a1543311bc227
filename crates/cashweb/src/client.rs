//! The HTTP client: one per CashWeb partner key.
//!
//! Every documented endpoint is one method. Requests are checked locally
//! first (pricing mode, reference, limit, quote deadline), failures are
//! sorted by whether the request can have reached CashWeb (see [`Error`]),
//! and redirects are never followed, since a redirected POST may be
//! replayed as something else. [`Client::create_or_recover`] is the one
//! safe way to retry a create after an ambiguous failure.

use crate::assumptions::{
    self, AuthScheme, IDEMPOTENCY_KEY_HEADER, LIST_LIMIT_MAX, LIST_LIMIT_MIN,
};
use crate::error::{Call, Error};
use crate::request::{self, CreateTransactionRequest, IdempotencyKey, ValidationError};
use crate::wire::{CreatedTransaction, Cursor, Envelope, ListBody, Transaction, TransactionPage};
use cashdesk_http::fill;
use chrono::Utc;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;

/// Tunables; `Default` is the documented and assumed values.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub paths: assumptions::Paths,
    pub auth: AuthScheme,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            paths: assumptions::Paths::default(),
            auth: AuthScheme::default(),
            connect_timeout: assumptions::CONNECT_TIMEOUT,
            request_timeout: assumptions::REQUEST_TIMEOUT,
        }
    }
}

/// What [`Client::create_or_recover`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    /// Created now.
    Created(CreatedTransaction),
    /// An earlier attempt had created it; this is its current state.
    Existing(Transaction),
}

impl CreateOutcome {
    pub fn id(&self) -> &str {
        match self {
            CreateOutcome::Created(t) => &t.id,
            CreateOutcome::Existing(t) => &t.id,
        }
    }
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    /// The auth header, its value marked sensitive so debug output hides it.
    auth: (HeaderName, HeaderValue),
    paths: assumptions::Paths,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("auth", &self.auth.0.as_str())
            .field("api_key", &"[redacted]")
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(base_url: &str, api_key: &str, config: ClientConfig) -> Result<Client, Error> {
        let base = parse_base(base_url)?;
        request::require("API key", api_key)?;
        let (name, value) = match &config.auth {
            AuthScheme::Bearer => (reqwest::header::AUTHORIZATION, format!("Bearer {api_key}")),
            AuthScheme::Header { name } => (
                HeaderName::try_from(name.as_str())
                    .map_err(|_| ValidationError::AuthHeaderName { name: name.clone() })?,
                api_key.to_owned(),
            ),
        };
        let mut value =
            HeaderValue::try_from(value).map_err(|_| ValidationError::ApiKeyUnusable)?;
        value.set_sensitive(true);
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::NotSent {
                message: format!("HTTP client could not be set up: {e}"),
            })?;
        Ok(Client {
            http,
            base,
            auth: (name, value),
            paths: config.paths,
        })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// `POST /transactions`. A 409 is [`Error::DuplicateReference`]. After an
    /// error with [`Error::may_have_taken_effect`], retry only through
    /// [`Client::create_or_recover`].
    pub async fn create_transaction(
        &self,
        req: &CreateTransactionRequest,
    ) -> Result<CreatedTransaction, Error> {
        req.validate(Utc::now())?;
        let body = serde_json::to_vec(&req.body()).map_err(|e| Error::NotSent {
            message: format!("request body could not be encoded: {e}"),
        })?;
        let url = self.url(&self.paths.transactions)?;
        let call = Call::Create {
            merchant_reference: &req.merchant_reference,
        };
        let envelope: Envelope<CreatedTransaction> =
            self.send(Method::POST, url, Some(body), None, call).await?;
        Ok(envelope.data)
    }

    /// `GET /transactions/{id}`: the status (TSQ) shape.
    pub async fn transaction(&self, id: &str) -> Result<Transaction, Error> {
        request::require("transaction id", id)?;
        let url = self.url(&fill(&self.paths.transaction, "{id}", id))?;
        let envelope: Envelope<Transaction> =
            self.send(Method::GET, url, None, None, Call::Read).await?;
        Ok(envelope.data)
    }

    /// `GET /transactions/reference/{merchant_reference}`, matched by
    /// CashWeb case-insensitively. `Ok(None)` only on a 404 in CashWeb's
    /// error shape: any other failure is an error, never "not there".
    pub async fn transaction_by_reference(
        &self,
        merchant_reference: &str,
    ) -> Result<Option<Transaction>, Error> {
        request::validate_merchant_reference(merchant_reference)?;
        let path = fill(
            &self.paths.by_reference,
            "{merchant_reference}",
            merchant_reference,
        );
        let url = self.url(&path)?;
        match self
            .send::<Envelope<Transaction>>(Method::GET, url, None, None, Call::Read)
            .await
        {
            Ok(envelope) => Ok(Some(envelope.data)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /transactions?limit=…&cursor=…`. `limit` must be 1..=100;
    /// pass `None` for the first page and afterwards only a cursor from
    /// the previous page.
    pub async fn list_transactions(
        &self,
        limit: u32,
        cursor: Option<&Cursor>,
    ) -> Result<TransactionPage, Error> {
        if !(LIST_LIMIT_MIN..=LIST_LIMIT_MAX).contains(&limit) {
            return Err(ValidationError::Limit { limit }.into());
        }
        let mut url = self.url(&self.paths.transactions)?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("limit", &limit.to_string());
            if let Some(c) = cursor {
                query.append_pair("cursor", c.as_str());
            }
        }
        let body: ListBody<serde_json::Value> =
            self.send(Method::GET, url, None, None, Call::Read).await?;
        Ok(TransactionPage::from_body(body))
    }

    /// `POST /transactions/{id}/cancel` with `Idempotency-Key`. Resend with
    /// the same key after any failure; a 409 is [`Error::NotCancellable`].
    pub async fn cancel_transaction(
        &self,
        id: &str,
        key: &IdempotencyKey,
    ) -> Result<Transaction, Error> {
        request::require("transaction id", id)?;
        let url = self.url(&fill(&self.paths.cancel, "{id}", id))?;
        let call = Call::Cancel { transaction_id: id };
        let envelope: Envelope<Transaction> =
            self.send(Method::POST, url, None, Some(key), call).await?;
        Ok(envelope.data)
    }

    /// The documented timeout recovery: look the reference up first, create
    /// only if CashWeb has none, and treat a 409 as "an earlier attempt
    /// landed" by looking it up again. A transaction found under our
    /// reference that is not what `req` asks for is
    /// [`Error::ReferenceConflict`].
    pub async fn create_or_recover(
        &self,
        req: &CreateTransactionRequest,
    ) -> Result<CreateOutcome, Error> {
        if let Some(found) = self
            .transaction_by_reference(&req.merchant_reference)
            .await?
        {
            return accept(req, found);
        }
        match self.create_transaction(req).await {
            Ok(created) => Ok(CreateOutcome::Created(created)),
            Err(dup @ Error::DuplicateReference { .. }) => {
                match self
                    .transaction_by_reference(&req.merchant_reference)
                    .await?
                {
                    Some(found) => accept(req, found),
                    None => Err(dup),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        key: Option<&IdempotencyKey>,
        call: Call<'_>,
    ) -> Result<T, Error> {
        let path = url.path().to_owned();
        let mut request = self
            .http
            .request(method.clone(), url)
            .header(self.auth.0.clone(), self.auth.1.clone());
        if let Some(key) = key {
            let value = HeaderValue::from_str(key.as_str()).map_err(|_| {
                ValidationError::IdempotencyKey {
                    reason: "it cannot be sent in an HTTP header",
                }
            })?;
            request = request.header(IDEMPOTENCY_KEY_HEADER, value);
        }
        if let Some(bytes) = body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(bytes);
        }
        tracing::debug!(%method, %path, "cashweb request");
        let response = request.send().await.map_err(classify_send_error)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(|e| Error::Unknown {
            message: format!("HTTP {status} answer could not be read: {e}"),
        })?;
        tracing::debug!(%method, %path, status, "cashweb response");
        let failed = !(200..300).contains(&status)
            // A 2xx carrying the error shape is still an error.
            || crate::error::read_error(&bytes).is_some();
        if failed {
            let err = Error::from_response(status, retry_after.as_deref(), &bytes, call);
            tracing::warn!(%method, %path, status, code = err.code(), "cashweb error");
            return Err(err);
        }
        serde_json::from_slice(&bytes).map_err(|e| Error::Unknown {
            message: format!(
                "HTTP {status} answer is not what the document describes ({e}): {}",
                crate::error::truncate(&String::from_utf8_lossy(&bytes), 200)
            ),
        })
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        let joined = format!("{}{}", self.base.as_str().trim_end_matches('/'), path);
        Url::parse(&joined).map_err(|e| {
            Error::Invalid(ValidationError::BaseUrl {
                url: joined,
                reason: e.to_string(),
            })
        })
    }
}

fn accept(req: &CreateTransactionRequest, found: Transaction) -> Result<CreateOutcome, Error> {
    if found.fulfils(req) {
        Ok(CreateOutcome::Existing(found))
    } else {
        Err(Error::ReferenceConflict {
            merchant_reference: req.merchant_reference.clone(),
            found: found.summary(),
        })
    }
}

fn parse_base(base_url: &str) -> Result<Url, Error> {
    cashdesk_http::check_base_url(base_url).map_err(|reason| {
        Error::Invalid(ValidationError::BaseUrl {
            url: base_url.to_owned(),
            reason,
        })
    })
}

/// Sorted by whether it may have reached CashWeb (see `cashdesk_http`).
fn classify_send_error(e: reqwest::Error) -> Error {
    match cashdesk_http::classify_send_error(e, "CashWeb") {
        cashdesk_http::SendFailure::NotSent(message) => Error::NotSent { message },
        cashdesk_http::SendFailure::Unknown(message) => Error::Unknown { message },
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
