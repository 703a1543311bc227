//! The HTTP client: one per partner API key.
//!
//! Every request first waits for a permit from the rate limiter, so the
//! documented 100 requests/minute is never exceeded by this process, then
//! goes out with Bearer auth. Failures are sorted by whether the request can
//! have reached Zexabit (see [`Error`]); redirects are never followed, since
//! a redirected POST may be replayed as something else.

use crate::assumptions::{self, Paths, RateLimit};
use crate::error::Error;
use crate::wire::{
    self, AgentNumber, CreateDepositRequest, CreateDepositResponse, CreateUserRequest,
    CreateUserResponse, CreateWithdrawalRequest, CreateWithdrawalResponse, DepositStatus,
    PaymentMethod, PaymentMethods, UserBalance, ValidationError, WithdrawalStatus,
};
use cashdesk_http::fill;
use governor::DefaultDirectRateLimiter;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A partner API key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> Self {
        Self(key)
    }

    /// The key itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Tunables; `Default` is the documented and assumed values.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub paths: Paths,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub rate_limit: RateLimit,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            paths: Paths::default(),
            connect_timeout: assumptions::CONNECT_TIMEOUT,
            request_timeout: assumptions::REQUEST_TIMEOUT,
            rate_limit: RateLimit::default(),
        }
    }
}

/// The limit is per partner (API key), not per client: every client of
/// this process with the same base URL, key and limit takes its permits
/// from one limiter, so the app's sending, its status polling and any
/// other client built for the same key together stay inside 100/min.
fn shared_limiter(
    base: &Url,
    api_key: &str,
    limit: &crate::assumptions::RateLimit,
) -> Arc<DefaultDirectRateLimiter> {
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, Weak};
    type Registry = Mutex<HashMap<[u8; 32], Weak<DefaultDirectRateLimiter>>>;
    static LIMITERS: LazyLock<Registry> = LazyLock::new(Registry::default);
    let mut h = Sha256::new();
    for part in [
        base.as_str(),
        api_key,
        &limit.per_minute.to_string(),
        &limit.burst.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let key: [u8; 32] = h.finalize().into();
    let mut map = LIMITERS.lock().unwrap_or_else(|e| e.into_inner());
    map.retain(|_, w| w.strong_count() > 0);
    if let Some(l) = map.get(&key).and_then(Weak::upgrade) {
        return l;
    }
    let l = Arc::new(DefaultDirectRateLimiter::direct(limit.quota()));
    map.insert(key, Arc::downgrade(&l));
    l
}

/// Cheap to clone; clones share one rate limiter.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    api_key: ApiKey,
    /// `Bearer <key>`, marked sensitive so HTTP-level debug output hides it.
    auth: HeaderValue,
    paths: Paths,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("api_key", &self.api_key)
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with the default timeouts and rate limit.
    pub fn new(base_url: &str, api_key: String, paths: Paths) -> Result<Client, Error> {
        Self::with_config(
            base_url,
            api_key,
            ClientConfig {
                paths,
                ..ClientConfig::default()
            },
        )
    }

    pub fn with_config(
        base_url: &str,
        api_key: String,
        config: ClientConfig,
    ) -> Result<Client, Error> {
        let base = parse_base(base_url)?;
        if api_key.trim().is_empty() {
            return Err(ValidationError::Empty { field: "API key" }.into());
        }
        let mut auth = HeaderValue::try_from(format!("Bearer {api_key}"))
            .map_err(|_| ValidationError::ApiKeyUnusable)?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::NotSent {
                message: format!("HTTP client could not be set up: {e}"),
            })?;
        let limiter = shared_limiter(&base, &api_key, &config.rate_limit);
        Ok(Client {
            http,
            base,
            api_key: ApiKey::new(api_key),
            auth,
            paths: config.paths,
            limiter,
        })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// `POST create_user`. Returns the existing user's id as Zexabit decides.
    pub async fn create_user(&self, req: &CreateUserRequest) -> Result<CreateUserResponse, Error> {
        wire::require("externalUserId", &req.external_user_id)?;
        wire::validate_username(&req.username)?;
        let path = self.paths.create_user.clone();
        self.send(Method::POST, path, Some(req)).await
    }

    pub async fn user_balance(&self, user_id: &str) -> Result<UserBalance, Error> {
        wire::require("userId", user_id)?;
        let path = fill(&self.paths.user_balance, "{userId}", user_id);
        self.send(Method::GET, path, None::<&()>).await
    }

    /// `POST deposits`. Not idempotent on Zexabit's side: on an error with
    /// [`Error::may_have_taken_effect`], look it up, do not resend.
    pub async fn create_deposit(
        &self,
        req: &CreateDepositRequest,
    ) -> Result<CreateDepositResponse, Error> {
        wire::require("userId", &req.user_id)?;
        wire::require_positive("amount", &req.amount)?;
        wire::require("paymentMethod", &req.payment_method)?;
        wire::require("paymentNumber", &req.payment_number)?;
        let path = self.paths.deposits.clone();
        self.send(Method::POST, path, Some(req)).await
    }

    pub async fn deposit_status(&self, deposit_id: &str) -> Result<DepositStatus, Error> {
        wire::require("depositId", deposit_id)?;
        let path = fill(&self.paths.deposit_status, "{depositId}", deposit_id);
        self.send(Method::GET, path, None::<&()>).await
    }

    /// `POST withdrawals`. Same caution as [`Client::create_deposit`].
    pub async fn create_withdrawal(
        &self,
        req: &CreateWithdrawalRequest,
    ) -> Result<CreateWithdrawalResponse, Error> {
        wire::require("userId", &req.user_id)?;
        wire::require_positive("amount", &req.amount)?;
        wire::require("paymentMethod", &req.payment_method)?;
        wire::require("accountNumber", &req.account_number)?;
        let path = self.paths.withdrawals.clone();
        self.send(Method::POST, path, Some(req)).await
    }

    pub async fn withdrawal_status(&self, withdrawal_id: &str) -> Result<WithdrawalStatus, Error> {
        wire::require("withdrawalId", withdrawal_id)?;
        let path = fill(
            &self.paths.withdrawal_status,
            "{withdrawalId}",
            withdrawal_id,
        );
        self.send(Method::GET, path, None::<&()>).await
    }

    pub async fn payment_methods(&self) -> Result<Vec<PaymentMethod>, Error> {
        let path = self.paths.payment_methods.clone();
        let list: PaymentMethods = self.send(Method::GET, path, None::<&()>).await?;
        Ok(list.methods)
    }

    /// Where the user should send a deposit for `method`.
    pub async fn agent_number(&self, method: &str) -> Result<AgentNumber, Error> {
        wire::require("method", method)?;
        let path = fill(&self.paths.agent_number, "{method}", method);
        self.send(Method::GET, path, None::<&()>).await
    }

    async fn send<B, T>(&self, method: Method, path: String, body: Option<&B>) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let url = self.url(&path)?;
        self.limiter.until_ready().await;
        let mut request = self
            .http
            .request(method.clone(), url)
            .header(AUTHORIZATION, self.auth.clone());
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body).map_err(|e| Error::NotSent {
                message: format!("request body could not be encoded: {e}"),
            })?;
            request = request.body(bytes);
        }
        tracing::debug!(%method, %path, "zexabit request");
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
        tracing::debug!(%method, %path, status, "zexabit response");
        if !(200..300).contains(&status) {
            let err = Error::from_response(status, retry_after.as_deref(), &bytes);
            tracing::warn!(%method, %path, status, code = err.code(), "zexabit error");
            return Err(err);
        }
        // A 2xx carrying the documented error body is still an error.
        if let Ok(err) = serde_json::from_slice::<wire::ErrorBody>(&bytes)
            && !err.success
        {
            return Err(Error::from_response(status, None, &bytes));
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

fn parse_base(base_url: &str) -> Result<Url, Error> {
    cashdesk_http::check_base_url(base_url).map_err(|reason| {
        Error::Invalid(ValidationError::BaseUrl {
            url: base_url.to_owned(),
            reason,
        })
    })
}

/// Sorted by whether it may have reached Zexabit (see `cashdesk_http`).
fn classify_send_error(e: reqwest::Error) -> Error {
    match cashdesk_http::classify_send_error(e, "Zexabit") {
        cashdesk_http::SendFailure::NotSent(message) => Error::NotSent { message },
        cashdesk_http::SendFailure::Unknown(message) => Error::Unknown { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_never_appears_in_debug_output() {
        let c = Client::new(
            "https://api.portal.zexabit.com",
            "sk_live_SECRET".into(),
            Paths::default(),
        )
        .unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("sk_live_SECRET"), "{dbg}");
        assert!(dbg.contains("[redacted]"));
    }

    #[test]
    fn ids_are_encoded_as_one_path_segment() {
        assert_eq!(
            fill("/partner/deposits/{depositId}", "{depositId}", "dep_1"),
            "/partner/deposits/dep_1"
        );
        assert_eq!(
            fill("/x/{method}", "{method}", "a/../b c"),
            "/x/a%2F..%2Fb%20c"
        );
    }

    #[test]
    fn base_url_must_be_http_or_https_without_query() {
        assert!(parse_base("https://api.portal.zexabit.com").is_ok());
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_base("api.portal.zexabit.com").is_err());
        assert!(parse_base("https://x/?a=1").is_err());
    }

    #[test]
    fn a_base_url_with_a_prefix_keeps_it() {
        let c = Client::new("http://127.0.0.1:9/sandbox/", "k".into(), Paths::default()).unwrap();
        assert_eq!(
            c.url("/partner/users").unwrap().as_str(),
            "http://127.0.0.1:9/sandbox/partner/users"
        );
    }
}
