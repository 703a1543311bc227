//! Reading requests the way Paykassma's Laravel does, and refusing them in
//! its documented shape: `{"status":"fail","message":{"field":["..."]}}`.
//!
//! Parameters come from the query string (PHP brackets for arrays) merged
//! with a JSON, form or multipart body, as Laravel's `input()` merges them.
//! Every field error is collected, so one answer names all of them.

use super::multipart::{self, FormPart};
use axum::Json;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use reqwest::Url;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

/// A refusal in Paykassma's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    pub status: StatusCode,
    pub body: Value,
}

impl Fail {
    /// `{"status":"fail","message":"..."}` (HTTP 400, a simulator choice).
    pub fn text(message: impl Into<String>) -> Self {
        Self::with_status(StatusCode::BAD_REQUEST, message)
    }

    pub fn with_status(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({"status": "fail", "message": message.into()}),
        }
    }

    /// `{"status":"fail","message":{"field":["..."]}}`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::fields(vec![(field.to_owned(), message.into())])
    }

    pub fn fields(errors: Vec<(String, String)>) -> Self {
        let mut map = Map::new();
        for (field, message) in errors {
            let entry = map.entry(field).or_insert_with(|| json!([]));
            if let Value::Array(list) = entry {
                list.push(Value::String(message));
            }
        }
        Self {
            status: StatusCode::BAD_REQUEST,
            body: json!({"status": "fail", "message": map}),
        }
    }

    /// Documented: a missing or wrong secret (or an unknown path) is 404.
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: json!({"message": "Not found"}),
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// The merged parameters of one request, and its uploaded files.
#[derive(Debug, Default)]
pub struct Input {
    pub fields: Map<String, Value>,
    pub files: Vec<FormPart>,
}

impl Input {
    pub fn read(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<Input, Fail> {
        let mut input = Input::default();
        let url = Url::parse(&format!("http://sim{uri}")).map_err(|_| Fail::not_found())?;
        put_pairs(&mut input.fields, url.query_pairs());
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if body.is_empty() {
            return Ok(input);
        }
        if let Some(b) = multipart::boundary(&content_type) {
            let parts = multipart::parse(body, &b).map_err(Fail::text)?;
            for part in parts {
                if part.file_name.is_some() {
                    input.files.push(part);
                } else {
                    let text = String::from_utf8_lossy(&part.data).into_owned();
                    put(&mut input.fields, &part.name, Value::String(text));
                }
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let url = Url::parse(&format!("http://sim/?{}", String::from_utf8_lossy(body)))
                .map_err(|_| Fail::text("the form body cannot be read"))?;
            put_pairs(&mut input.fields, url.query_pairs());
        } else if content_type.starts_with("application/json") {
            match serde_json::from_slice(body) {
                Ok(Value::Object(map)) => input.fields.extend(map),
                _ => return Err(Fail::text("The request body is not a valid JSON object.")),
            }
        } else {
            return Err(Fail::text(
                "Unsupported Content-Type: send application/json or multipart/form-data.",
            ));
        }
        Ok(input)
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .get(name)
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
    }

    pub fn file(&self, name: &str) -> Option<&FormPart> {
        self.files.iter().find(|f| f.name == name)
    }
}

fn put_pairs<'a>(
    fields: &mut Map<String, Value>,
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) {
    for (k, v) in pairs {
        put(fields, &k, Value::String(v.into_owned()));
    }
}

/// `a[]=x` and `a[0]=x` build arrays, as PHP does; `a=x` is a string.
fn put(fields: &mut Map<String, Value>, key: &str, value: Value) {
    match key.split_once('[') {
        Some((name, rest)) if rest.ends_with(']') => {
            let entry = fields.entry(name.to_owned()).or_insert_with(|| json!([]));
            if let Value::Array(list) = entry {
                list.push(value);
            }
        }
        _ => {
            fields.insert(key.to_owned(), value);
        }
    }
}

/// Laravel's attribute name: underscores read as spaces.
pub fn attr(field: &str) -> String {
    field.replace('_', " ")
}

/// Collects field errors while reading typed values.
#[derive(Debug, Default)]
pub struct Check {
    errors: Vec<(String, String)>,
}

impl Check {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push((field.to_owned(), message.into()));
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|(f, _)| f == field)
    }

    pub fn required(&mut self, field: &str) {
        self.add(field, format!("The {} field is required.", attr(field)));
    }

    /// A string of at most `max` characters without surrounding spaces.
    pub fn string(
        &mut self,
        input: &Input,
        field: &str,
        max: usize,
        required: bool,
    ) -> Option<String> {
        let Some(value) = input.get(field) else {
            if required {
                self.required(field);
            }
            return None;
        };
        let Some(s) = value.as_str() else {
            self.add(field, format!("The {} must be a string.", attr(field)));
            return None;
        };
        self.text(field, s, max).then(|| s.to_owned())
    }

    /// Checks an already read text; true when it passes.
    pub fn text(&mut self, field: &str, s: &str, max: usize) -> bool {
        if s.trim() != s {
            self.add(
                field,
                format!("The {} must not start or end with spaces.", attr(field)),
            );
            return false;
        }
        if s.chars().count() > max {
            self.add(
                field,
                format!(
                    "The {} may not be greater than {max} characters.",
                    attr(field)
                ),
            );
            return false;
        }
        true
    }

    /// A 3-letter currency code.
    pub fn currency(&mut self, input: &Input, field: &str) -> Option<String> {
        let code = self.string(input, field, usize::MAX, true)?;
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Some(code)
        } else {
            self.add(field, format!("The {} must be 3 characters.", attr(field)));
            None
        }
    }

    /// A number (or numeric text, as multipart sends it) greater than 0.
    pub fn amount(&mut self, input: &Input, field: &str, required: bool) -> Option<Decimal> {
        let Some(value) = input.get(field) else {
            if required {
                self.required(field);
            }
            return None;
        };
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        let parsed = Decimal::from_str_exact(&text).or_else(|_| Decimal::from_scientific(&text));
        match parsed {
            Ok(d) if d > Decimal::ZERO => Some(d),
            Ok(_) => {
                self.add(
                    field,
                    format!("The {} must be greater than 0.", attr(field)),
                );
                None
            }
            Err(_) => {
                self.add(field, format!("The {} must be a number.", attr(field)));
                None
            }
        }
    }

    /// A JSON integer of at least 1.
    pub fn integer(&mut self, input: &Input, field: &str) -> Option<u64> {
        let Some(value) = input.get(field) else {
            self.required(field);
            return None;
        };
        match value.as_u64() {
            Some(n) if n >= 1 => Some(n),
            Some(_) => {
                self.add(field, format!("The {} must be at least 1.", attr(field)));
                None
            }
            None => {
                self.add(field, format!("The {} must be an integer.", attr(field)));
                None
            }
        }
    }

    /// `true`/`false` (Laravel also takes 0/1).
    pub fn boolean(&mut self, input: &Input, field: &str) -> Option<bool> {
        let Some(value) = input.fields.get(field).filter(|v| !v.is_null()) else {
            self.required(field);
            return None;
        };
        match value {
            Value::Bool(b) => Some(*b),
            v if v.as_i64() == Some(0) || v.as_str() == Some("0") => Some(false),
            v if v.as_i64() == Some(1) || v.as_str() == Some("1") => Some(true),
            _ => {
                self.add(
                    field,
                    format!("The {} field must be true or false.", attr(field)),
                );
                None
            }
        }
    }

    /// An array of id strings, each at most 190 characters.
    pub fn strings(&mut self, input: &Input, field: &str, required: bool) -> Option<Vec<String>> {
        let Some(value) = input.get(field) else {
            if required {
                self.required(field);
            }
            return None;
        };
        let Some(items) = value.as_array() else {
            self.add(field, format!("The {} must be an array.", attr(field)));
            return None;
        };
        let texts: Option<Vec<String>> = items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect();
        match texts {
            Some(t) if t.iter().all(|s| !s.is_empty() && self.text(field, s, 190)) => Some(t),
            Some(_) => None,
            None => {
                self.add(field, format!("The {} must contain strings.", attr(field)));
                None
            }
        }
    }

    /// `Err` with every collected error, if any.
    pub fn finish(self) -> Result<(), Fail> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Fail::fields(self.errors))
        }
    }
}
