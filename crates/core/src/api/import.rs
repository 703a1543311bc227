//! CSV import of requests (a batch from the operator's platform): every
//! row is checked exactly as the intake API checks it, and only when all
//! rows pass are they filed, in one transaction. Otherwise nothing is
//! filed and each refused row says why. Idempotent on `intake_ref`, shared
//! with the intake API: importing a file twice files nothing twice.

use super::{ApiResult, invalid};
use crate::app::Cashdesk;
use crate::intake::{IntakeRequest, new_request};
use cashdesk_domain::{ProviderKind, RequestKind};
use cashdesk_store::{AccountRecord, NewRequest, Source};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use ts_rs::TS;

/// At most this many rows per file.
pub const MAX_ROWS: usize = 10_000;

const COLUMNS: [&str; 14] = [
    "intake_ref",
    "kind",
    "provider",
    "account",
    "method",
    "amount",
    "currency",
    "end_user_ref",
    "end_user_name",
    "provider_user_id",
    "trx_id",
    "sender",
    "agent_number",
    "destination",
];

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: u32,
    pub intake_ref: String,
    pub ok: bool,
    /// Why it was refused, or "filed" / "already filed".
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// True when the rows were filed; false: nothing was filed.
    pub committed: bool,
    pub filed: u32,
    pub already_filed: u32,
    /// A problem with the file as a whole (header, size), if any.
    pub file_error: Option<String>,
    pub rows: Vec<ImportRow>,
}

impl ImportReport {
    fn refused(why: String) -> Self {
        ImportReport {
            committed: false,
            filed: 0,
            already_filed: 0,
            file_error: Some(why),
            rows: vec![],
        }
    }
}

fn text(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// One row as the intake request it stands for.
fn row_request(
    accounts: &[AccountRecord],
    header: &[String],
    rec: &csv::StringRecord,
) -> Result<IntakeRequest, String> {
    let mut cols: HashMap<&str, &str> = HashMap::new();
    let mut typed = Vec::new();
    for (name, value) in header.iter().zip(rec.iter()) {
        match name.strip_prefix("details.") {
            Some(d) => typed.push((d, value)),
            None => {
                cols.insert(name.as_str(), value);
            }
        }
    }
    let details = crate::intake::details_from_fields(typed).map_err(|e| format!("details.{e}"))?;
    let get = |k: &str| cols.get(k).copied().unwrap_or_default().trim();
    let kind = match get("kind").to_lowercase().as_str() {
        "deposit" => RequestKind::Deposit,
        "withdrawal" => RequestKind::Withdrawal,
        other => return Err(format!("kind: \"{other}\" is not deposit or withdrawal")),
    };
    let named = get("provider").trim().to_lowercase().replace('-', "_");
    let Some(provider) = ProviderKind::parse(&named) else {
        let known: Vec<&str> = ProviderKind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(format!(
            "provider: \"{}\" is not one of {}",
            get("provider").trim(),
            known.join(", ")
        ));
    };
    let account_id = match text(get("account")) {
        None => None,
        Some(a) => {
            let found = accounts
                .iter()
                .find(|x| x.name == a || x.id.to_string() == a)
                .ok_or_else(|| format!("account: no account named \"{a}\""))?;
            Some(found.id)
        }
    };
    Ok(IntakeRequest {
        intake_ref: get("intake_ref").to_owned(),
        kind,
        provider,
        account_id,
        method: get("method").to_owned(),
        amount: get("amount").to_owned(),
        currency: get("currency").to_owned(),
        end_user_ref: get("end_user_ref").to_owned(),
        end_user_name: text(get("end_user_name")),
        provider_user_id: text(get("provider_user_id")),
        trx_id: text(get("trx_id")),
        sender: text(get("sender")),
        agent_number: text(get("agent_number")),
        destination: text(get("destination")),
        details: Value::Object(details),
        screenshot: None,
    })
}

/// Checks every row, then files all of them or none.
pub fn import_csv(app: &Cashdesk, csv_text: &str) -> ApiResult<ImportReport> {
    // The integration files the requests, at the hand of the person who
    // imports them: that person is their maker and never approves them.
    let importer = app.acting(cashdesk_domain::Permission::Enter)?;
    let maker = importer.operator_ref().map(|o| o.id);
    let actor = cashdesk_domain::Actor::Intake;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(csv_text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => return Ok(ImportReport::refused(format!("unreadable header: {e}"))),
    };
    if let Some(bad) = header
        .iter()
        .find(|h| !COLUMNS.contains(&h.as_str()) && !h.starts_with("details."))
    {
        return Ok(ImportReport::refused(format!(
            "unknown column \"{bad}\" (known: {}, details.<field>)",
            COLUMNS.join(", ")
        )));
    }
    for needed in [
        "intake_ref",
        "kind",
        "provider",
        "method",
        "amount",
        "currency",
    ] {
        if !header.iter().any(|h| h == needed) {
            return Ok(ImportReport::refused(format!(
                "missing column \"{needed}\""
            )));
        }
    }
    // Read once: a file may name an account on each of its rows.
    let accounts = app.store().accounts()?;
    let mut rows = Vec::new();
    let mut batch: Vec<NewRequest> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let ref_col = header.iter().position(|h| h == "intake_ref");
    for (i, record) in reader.records().enumerate() {
        let line = i as u32 + 2;
        // Named on the row even when it is refused.
        let given_ref = record
            .as_ref()
            .ok()
            .and_then(|r| ref_col.and_then(|c| r.get(c)))
            .unwrap_or_default()
            .trim()
            .to_owned();
        if i >= MAX_ROWS {
            return Ok(ImportReport::refused(format!(
                "more than {MAX_ROWS} rows: split the file"
            )));
        }
        let checked = record
            .map_err(|e| format!("unreadable row: {e}"))
            .and_then(|r| {
                let req = row_request(&accounts, &header, &r)?;
                if req.intake_ref.is_empty() || req.intake_ref.chars().count() > 128 {
                    return Err("intake_ref: 1 to 128 characters".into());
                }
                if let Some(first) = seen.insert(req.intake_ref.clone(), line) {
                    return Err(format!("intake_ref repeats line {first}"));
                }
                let new = new_request(app, &req, Source::Intake, Some(req.intake_ref.clone()))
                    .map_err(|e| e.to_string())?;
                Ok((req.intake_ref, new))
            });
        match checked {
            Ok((intake_ref, new)) => {
                rows.push(ImportRow {
                    line,
                    intake_ref,
                    ok: true,
                    message: String::new(),
                });
                batch.push(new);
            }
            Err(why) => rows.push(ImportRow {
                line,
                intake_ref: given_ref,
                ok: false,
                message: why,
            }),
        }
    }
    if rows.is_empty() {
        return Err(invalid("The file has no rows under its header"));
    }
    if rows.iter().any(|r| !r.ok) {
        for r in rows.iter_mut().filter(|r| r.ok) {
            r.message = "valid (not filed: other rows were refused)".into();
        }
        return Ok(ImportReport {
            committed: false,
            filed: 0,
            already_filed: 0,
            file_error: None,
            rows,
        });
    }
    let done = app.store().insert_requests_made_by(&batch, &actor, maker)?;
    let mut filed = 0;
    for (row, (_, created)) in rows.iter_mut().zip(&done) {
        row.message = if *created { "filed" } else { "already filed" }.into();
        filed += u32::from(*created);
    }
    // The ids reach the window with the store's own event.
    app.changed(super::dto::Changed {
        new_requests: filed,
        ..Default::default()
    });
    Ok(ImportReport {
        committed: true,
        filed,
        already_filed: done.len() as u32 - filed,
        file_error: None,
        rows,
    })
}
