//! The HTTP client: one per Paykassma account (secret + private key).
//!
//! Every request but the withdrawal carries the `secret` query parameter;
//! the withdrawal is signed instead. Failures are sorted by whether the
//! request can have reached Paykassma (see [`Error`]). Redirects are never
//! followed (a redirected POST may be replayed as something else), and no
//! error text ever contains a URL, since ours carry the secret.
//! The endpoint methods live in `deposits.rs` and `recovery.rs`.

use crate::assumptions::{self, Paths, PostbackPolicy, SECRET_PARAM};
use crate::error::{Error, truncate};
use crate::rules::Rules;
use crate::signature::PrivateKey;
use crate::validate::ValidationError;
pub(crate) use cashdesk_http::fill;
use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use reqwest::multipart::Form;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;
use std::time::Duration;

/// The PLUGINAPI secret (the workspace's redacting type).
pub use cashdesk_http::Secret;

/// Tunables; `Default` is the documented and assumed values.
#[derive(Clone, Debug, Default)]
pub struct ClientConfig {
    pub paths: Paths,
    pub rules: Rules,
    pub postback_policy: PostbackPolicy,
    /// `None`: [`assumptions::CONNECT_TIMEOUT`].
    pub connect_timeout: Option<Duration>,
    /// `None`: [`assumptions::REQUEST_TIMEOUT`].
    pub request_timeout: Option<Duration>,
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base: Url,
    pub(crate) secret: Secret,
    pub(crate) private_key: PrivateKey,
    pub(crate) config: ClientConfig,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("secret", &self.secret)
            .field("private_key", &self.private_key)
            .finish_non_exhaustive()
    }
}

/// A request body.
pub(crate) enum Body {
    None,
    Json(Vec<u8>),
    Multipart(Form),
}

/// An answer as received, before it is judged.
pub(crate) struct Answer {
    pub status: u16,
    pub bytes: Vec<u8>,
    pub retry_after: Option<String>,
}

impl Answer {
    pub fn json(&self) -> Option<Map<String, Value>> {
        serde_json::from_slice(&self.bytes).ok()
    }

    /// The JSON `status` field, if the body has one.
    pub fn status_field(&self) -> Option<String> {
        self.json()?.get("status")?.as_str().map(str::to_owned)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// A success (`status` "ok" or "success") as its JSON object; anything
    /// else as the error it is.
    pub fn success(&self) -> Result<Map<String, Value>, Error> {
        if !(200..300).contains(&self.status) {
            return Err(Error::from_answer(
                self.status,
                self.retry_after.as_deref(),
                &self.bytes,
            ));
        }
        let Some(json) = self.json() else {
            return Err(self.unexpected("it is not a JSON object"));
        };
        match json.get("status").and_then(Value::as_str) {
            Some("ok" | "success") => Ok(json),
            Some("fail" | "error") => Err(Error::from_answer(self.status, None, &self.bytes)),
            _ => Err(self.unexpected("its status is not one the document lists")),
        }
    }

    /// `name` of a success body, read as `T`.
    pub fn field<T: DeserializeOwned>(json: &Map<String, Value>, name: &str) -> Result<T, Error> {
        let value = json.get(name).cloned().unwrap_or(Value::Null);
        serde_json::from_value(value).map_err(|e| Error::Unknown {
            message: format!("the answer's \"{name}\" is not what the document describes: {e}"),
        })
    }

    pub fn unexpected(&self, why: &str) -> Error {
        Error::Unknown {
            message: format!(
                "HTTP {} answer is not what the document describes ({why}): {}",
                self.status,
                truncate(&self.text(), 200)
            ),
        }
    }
}

impl Client {
    /// A client with the documented paths and rules and default timeouts.
    pub fn new(base_url: &str, secret: String, private_key: String) -> Result<Client, Error> {
        Self::with_config(base_url, secret, private_key, ClientConfig::default())
    }

    pub fn with_config(
        base_url: &str,
        secret: String,
        private_key: String,
        config: ClientConfig,
    ) -> Result<Client, Error> {
        let base = parse_base(base_url)?;
        for (what, value) in [("PLUGINAPI secret", &secret), ("private key", &private_key)] {
            if value.trim().is_empty() {
                return Err(ValidationError::Empty { field: what.into() }.into());
            }
        }
        if secret.chars().any(char::is_control) {
            return Err(ValidationError::Unusable {
                what: "the PLUGINAPI secret",
            }
            .into());
        }
        let http = reqwest::Client::builder()
            .connect_timeout(
                config
                    .connect_timeout
                    .unwrap_or(assumptions::CONNECT_TIMEOUT),
            )
            .timeout(
                config
                    .request_timeout
                    .unwrap_or(assumptions::REQUEST_TIMEOUT),
            )
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::NotSent {
                message: format!("HTTP client could not be set up: {}", e.without_url()),
            })?;
        Ok(Client {
            http,
            base,
            secret: Secret::new(secret),
            private_key: PrivateKey::new(private_key),
            config,
        })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The rules requests are checked against before sending.
    pub fn rules(&self) -> &Rules {
        &self.config.rules
    }

    /// Sends one request and reads the whole answer.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        with_secret: bool,
        body: Body,
    ) -> Result<Answer, Error> {
        let url = self.url(path, query, with_secret)?;
        let mut request = self.http.request(method.clone(), url);
        request = match body {
            Body::None => request,
            Body::Json(bytes) => request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(bytes),
            Body::Multipart(form) => request.multipart(form),
        };
        tracing::debug!(%method, path, "paykassma request");
        let response = request.send().await.map_err(classify_send_error)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await.map_err(|e| Error::Unknown {
            message: format!(
                "HTTP {status} answer could not be read: {}",
                e.without_url()
            ),
        })?;
        tracing::debug!(%method, path, status, "paykassma response");
        Ok(Answer {
            status,
            bytes: bytes.to_vec(),
            retry_after,
        })
    }

    /// A JSON request whose answer must be a success.
    pub(crate) async fn call_json(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&impl serde::Serialize>,
    ) -> Result<Map<String, Value>, Error> {
        let body = match body {
            Some(b) => Body::Json(serde_json::to_vec(b).map_err(|e| Error::NotSent {
                message: format!("request body could not be encoded: {e}"),
            })?),
            None => Body::None,
        };
        let answer = self.call(method, path, query, true, body).await?;
        let result = answer.success();
        if let Err(e) = &result {
            tracing::warn!(path, status = answer.status, error = %e, "paykassma refused");
        }
        result
    }

    fn url(&self, path: &str, query: &[(String, String)], with_secret: bool) -> Result<Url, Error> {
        let joined = format!("{}{}", self.base.as_str().trim_end_matches('/'), path);
        let mut url = Url::parse(&joined).map_err(|e| {
            Error::Invalid(ValidationError::BaseUrl {
                url: joined.clone(),
                reason: e.to_string(),
            })
        })?;
        if with_secret || !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            if with_secret {
                pairs.append_pair(SECRET_PARAM, self.secret.expose());
            }
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
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

/// Sorted by whether it may have reached Paykassma (see `cashdesk_http`).
fn classify_send_error(e: reqwest::Error) -> Error {
    match cashdesk_http::classify_send_error(e, "Paykassma") {
        cashdesk_http::SendFailure::NotSent(message) => Error::NotSent { message },
        cashdesk_http::SendFailure::Unknown(message) => Error::Unknown { message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::new("https://api.example.test", "SECRET_1".into(), "PK_1".into()).unwrap()
    }

    #[test]
    fn neither_secret_nor_private_key_appears_in_debug_output() {
        let dbg = format!("{:?}", client());
        assert!(!dbg.contains("SECRET_1") && !dbg.contains("PK_1"), "{dbg}");
        assert!(dbg.contains("[redacted]"));
    }

    #[test]
    fn the_secret_is_a_query_parameter_and_arrays_use_php_brackets() {
        let q = [
            ("currency_code[]".to_owned(), "USD".to_owned()),
            ("currency_code[]".to_owned(), "INR".to_owned()),
        ];
        let url = client().url("/api/v1/x", &q, true).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.test/api/v1/x?secret=SECRET_1&currency_code%5B%5D=USD&currency_code%5B%5D=INR"
        );
        let signed = client().url("/v2/withdrawal/create", &[], false).unwrap();
        assert_eq!(
            signed.query(),
            None,
            "the withdrawal goes without the secret"
        );
    }

    #[test]
    fn base_url_must_be_http_or_https_without_query() {
        assert!(parse_base("https://api.paykassma.test").is_ok());
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_base("https://x/?secret=1").is_err());
        assert!(Client::new("https://x", " ".into(), "k".into()).is_err());
    }

    #[test]
    fn ids_are_encoded_as_one_path_segment() {
        assert_eq!(
            fill("/create/{wallet_type}", "{wallet_type}", "a/../b c"),
            "/create/a%2F..%2Fb%20c"
        );
    }
}
