//! One HTTP answer as the simulator tests read it, shared by the four
//! providers' test support modules.

use reqwest::header::HeaderMap;
use serde_json::Value;

/// One HTTP answer: status, headers, body parsed as JSON (Null if not JSON).
pub struct Answer {
    pub status: u16,
    #[allow(dead_code)]
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

pub async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.expect("body read");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        text,
        json,
    }
}
