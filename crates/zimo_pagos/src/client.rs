//! The HTTP client: one per Zimo-pagos cashout account.
//!
//! Every call validates first, then serialises its JSON body once, signs
//! exactly those bytes into `Payload-Signature` and sends exactly those
//! bytes. Failures are sorted by whether the request can have reached
//! Zimo-pagos (see [`Error`]); redirects are never followed, since a
//! redirected POST may be replayed as something else.

use crate::assumptions::{self, ErrorCodes, Paths, SIGNATURE_HEADER};
use crate::error::{Error, ErrorKind};
use crate::mexico::Endpoint;
use crate::signature;
use crate::validate::{self, ValidationError, ValidationOptions, limits};
use crate::wire::{
    CashoutCreated, CashoutRequest, CashoutStatus, CreateResponse, ErrorBody, StatusQuery,
    WireCashout, WireStatus,
};
use reqwest::Url;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The account's Cashout credentials. `Debug` never shows them.
#[derive(Clone)]
pub struct Credentials {
    login: String,
    pass: String,
    signing_secret: String,
}

impl Credentials {
    /// `login` and `pass` are documented as at most 32 characters.
    pub fn new(
        login: impl Into<String>,
        pass: impl Into<String>,
        signing_secret: impl Into<String>,
    ) -> Result<Credentials, ValidationError> {
        let (login, pass, signing_secret) = (login.into(), pass.into(), signing_secret.into());
        validate::required("login", &login, limits::LOGIN)?;
        validate::required("pass", &pass, limits::PASS)?;
        if signing_secret.is_empty() {
            return Err(ValidationError::Required {
                field: "signing secret",
            });
        }
        Ok(Credentials {
            login,
            pass,
            signing_secret,
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials([redacted])")
    }
}

/// Tunables; `Default` is the documented and assumed values.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub paths: Paths,
    /// Base URL of the Mexico debit-card endpoint. Documented for staging
    /// ([`assumptions::STAGING_CARD_BASE_URL`]); for production Zimo-pagos
    /// gives it on request. Without it, debit-card cashouts are refused
    /// before sending.
    pub card_base_url: Option<String>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub validation: ValidationOptions,
    pub error_codes: ErrorCodes,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            paths: Paths::default(),
            card_base_url: None,
            connect_timeout: assumptions::CONNECT_TIMEOUT,
            request_timeout: assumptions::REQUEST_TIMEOUT,
            validation: ValidationOptions::default(),
            error_codes: ErrorCodes::default(),
        }
    }
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    card_base: Option<Url>,
    credentials: Arc<Credentials>,
    config: Arc<ClientConfig>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("card_base", &self.card_base.as_ref().map(Url::as_str))
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the default paths, timeouts and strict validation.
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Client, Error> {
        Self::with_config(base_url, credentials, ClientConfig::default())
    }

    pub fn with_config(
        base_url: &str,
        credentials: Credentials,
        config: ClientConfig,
    ) -> Result<Client, Error> {
        let base = parse_base("cashout", base_url)?;
        let card_base = match &config.card_base_url {
            Some(url) => Some(parse_base("debit-card", url)?),
            None => None,
        };
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
            card_base,
            credentials: Arc::new(credentials),
            config: Arc::new(config),
        })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// Validates `req` and says which endpoint it would go to, without
    /// sending anything.
    pub fn endpoint_for(&self, req: &CashoutRequest) -> Result<Endpoint, Error> {
        let endpoint = req.validate(&self.config.validation)?;
        if endpoint == Endpoint::DebitCard && self.card_base.is_none() {
            return Err(ValidationError::CardEndpointMissing.into());
        }
        Ok(endpoint)
    }

    /// `POST /v3/cashout`, on the card host for a Mexican debit card.
    ///
    /// On an error with [`Error::may_have_taken_effect`], follow the
    /// recovery procedure in [`crate::assumptions`]: look it up with
    /// [`Client::find_by_external_id`]; "not found" proves nothing.
    pub async fn create_cashout(&self, req: &CashoutRequest) -> Result<CashoutCreated, Error> {
        let endpoint = self.endpoint_for(req)?;
        let base = match (endpoint, &self.card_base) {
            (Endpoint::Standard, _) => &self.base,
            (Endpoint::DebitCard, Some(card)) => card,
            (Endpoint::DebitCard, None) => return Err(ValidationError::CardEndpointMissing.into()),
        };
        let url = join(base, &self.config.paths.cashout)?;
        let c = &self.credentials;
        let body = WireCashout::new(&c.login, &c.pass, req);
        let created: CreateResponse = self.post(url, &body).await?;
        Ok(CashoutCreated {
            cashout_id: created.cashout_id,
            endpoint,
        })
    }

    /// `POST /v3/cashout/status` (assumed, see [`crate::assumptions`]).
    pub async fn status(&self, query: &StatusQuery) -> Result<CashoutStatus, Error> {
        let external_id = query
            .external_id
            .as_deref()
            .filter(|e| !e.trim().is_empty());
        if let Some(e) = external_id {
            validate::max_len("external_id", e, limits::EXTERNAL_ID)?;
        }
        if query.cashout_id.is_none() && external_id.is_none() {
            return Err(ValidationError::StatusQueryEmpty.into());
        }
        let url = join(&self.base, &self.config.paths.status)?;
        let c = &self.credentials;
        let body = WireStatus {
            login: &c.login,
            pass: &c.pass,
            cashout_id: query.cashout_id,
            external_id,
        };
        self.post(url, &body).await
    }

    /// The status of the cashout we sent under `external_id`, or `None` when
    /// Zimo-pagos shows none. `None` is not proof that it never arrived:
    /// the status call is assumed, a new cashout may not show at once, and
    /// the document never says a repeated `external_id` is refused.
    pub async fn find_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<CashoutStatus>, Error> {
        validate::required("external_id", external_id, limits::EXTERNAL_ID)?;
        match self.status(&StatusQuery::by_external_id(external_id)).await {
            Ok(status) => Ok(Some(status)),
            Err(e) if e.kind() == Some(ErrorKind::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Serialises once, signs those bytes, sends those bytes.
    async fn post<B, T>(&self, url: Url, body: &B) -> Result<T, Error>
    where
        B: Serialize,
        T: DeserializeOwned,
    {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::NotSent {
            message: format!("request body could not be encoded: {e}"),
        })?;
        let sig = signature::sign(self.credentials.signing_secret.as_bytes(), &bytes);
        let path = url.path().to_owned();
        tracing::debug!(%path, "zimo-pagos request");
        let response = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sig)
            .body(bytes)
            .send()
            .await
            .map_err(classify_send_error)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let answer = response.bytes().await.map_err(|e| Error::Unknown {
            message: format!("HTTP {status} answer could not be read: {e}"),
        })?;
        let codes = &self.config.error_codes;
        if !(200..300).contains(&status) {
            let err = Error::from_response(status, retry_after.as_deref(), &answer, codes);
            tracing::warn!(%path, status, code = err.code(), "zimo-pagos error");
            return Err(err);
        }
        match serde_json::from_slice::<T>(&answer) {
            Ok(value) => Ok(value),
            // A 2xx carrying the documented error body is still an error.
            Err(_) if serde_json::from_slice::<ErrorBody>(&answer).is_ok() => {
                Err(Error::from_response(status, None, &answer, codes))
            }
            Err(e) => Err(Error::Unknown {
                message: format!(
                    "HTTP {status} answer is not what the document describes ({e}): {}",
                    crate::error::truncate(&String::from_utf8_lossy(&answer), 200)
                ),
            }),
        }
    }
}

fn parse_base(which: &'static str, base_url: &str) -> Result<Url, Error> {
    cashdesk_http::check_base_url(base_url).map_err(|reason| {
        Error::Invalid(ValidationError::BaseUrl {
            which,
            url: base_url.to_owned(),
            reason,
        })
    })
}

/// `base` (which may carry a path prefix) followed by `path`.
fn join(base: &Url, path: &str) -> Result<Url, Error> {
    let joined = format!("{}{}", base.as_str().trim_end_matches('/'), path);
    Url::parse(&joined).map_err(|e| {
        Error::Invalid(ValidationError::BaseUrl {
            which: "cashout",
            url: joined,
            reason: e.to_string(),
        })
    })
}

/// Sorted by whether it may have reached Zimo-pagos (see `cashdesk_http`).
fn classify_send_error(e: reqwest::Error) -> Error {
    match cashdesk_http::classify_send_error(e, "Zimo-pagos") {
        cashdesk_http::SendFailure::NotSent(message) => Error::NotSent { message },
        cashdesk_http::SendFailure::Unknown(message) => Error::Unknown { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("LOGIN_SECRET", "PASS_SECRET", "SIGNING_SECRET").unwrap()
    }

    #[test]
    fn credentials_never_appear_in_debug_output() {
        let c = Client::new("https://api-stg.zimo-pagos.com", creds()).unwrap();
        let dbg = format!("{c:?}");
        for secret in ["LOGIN_SECRET", "PASS_SECRET", "SIGNING_SECRET"] {
            assert!(!dbg.contains(secret), "{dbg}");
        }
        assert!(dbg.contains("[redacted]"));
    }

    #[test]
    fn login_and_pass_are_required_and_at_most_32_characters() {
        assert!(Credentials::new("l".repeat(32), "p", "s").is_ok());
        let e = Credentials::new("l".repeat(33), "p", "s").unwrap_err();
        assert_eq!(
            e.to_string(),
            "login must be at most 32 characters; it has 33"
        );
        let e = Credentials::new("l", "", "s").unwrap_err();
        assert_eq!(e.to_string(), "pass is required and must not be empty");
        assert!(Credentials::new("l", "p", "").is_err());
    }

    #[test]
    fn base_urls_must_be_http_or_https_without_query_and_keep_a_prefix() {
        assert!(parse_base("cashout", "ftp://x").is_err());
        assert!(parse_base("cashout", "https://x/?a=1").is_err());
        let base = parse_base("cashout", "http://127.0.0.1:9/sandbox/").unwrap();
        assert_eq!(
            join(&base, "/v3/cashout").unwrap().as_str(),
            "http://127.0.0.1:9/sandbox/v3/cashout"
        );
        let bad = ClientConfig {
            card_base_url: Some("cc-api".into()),
            ..ClientConfig::default()
        };
        let e = Client::with_config("https://x", creds(), bad).unwrap_err();
        assert!(e.to_string().contains("debit-card URL"), "{e}");
    }
}
