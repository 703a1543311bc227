//! Zimo-pagos through the core over real HTTP: a cashout is sent once on
//! approval and settled by the status Zimo-pagos reports after its
//! notification. Ambiguous failures: `evidence.rs`.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake::{self, IntakeRequest};
use cashdesk_core::{Cashdesk, Config};
use cashdesk_domain::{ProviderKind, RequestKind, RequestStatus};
use common::*;
use std::time::Duration;

async fn sandbox() -> (tempfile::TempDir, Cashdesk) {
    let dir = tempfile::tempdir().unwrap();
    let app = cashdesk_sandbox::start(Config {
        sandbox_when_unconfigured: true,
        sandbox_interval: Duration::from_millis(150),
        ..config(dir.path())
    })
    .await
    .unwrap();
    common::act_as(&app, "Rina");
    (dir, app)
}

/// A pending Zimo-pagos withdrawal whose document id does (or does not) start with REJECT.
fn pick(app: &Cashdesk, rejected: bool) -> RequestDetail {
    wait_for(
        "a Zimo-pagos withdrawal in the sandbox queue",
        Duration::from_secs(30),
        || {
            let page = api::requests::list_queue(
                app,
                &QueueQuery {
                    tab: QueueTab::Queue,
                    provider: Some(ProviderKind::ZimoPagos),
                    kind: None,
                    limit: Some(100),
                    ..Default::default()
                },
            )
            .unwrap();
            page.items
                .iter()
                .map(|r| api::requests::get_request(app, r.id).unwrap())
                .find(|d| {
                    let doc = d
                        .extra
                        .iter()
                        .find(|l| l.label == "Document id")
                        .map(|l| l.value.clone())
                        .unwrap_or_default();
                    doc.starts_with("REJECT") == rejected
                })
        },
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_cashout_completes_through_the_notification_and_status_lookup() {
    let (_dir, app) = sandbox().await;
    let d = pick(&app, false);
    assert!(
        d.extra
            .iter()
            .any(|l| l.label == "Country" && l.value == "MX"),
        "beneficiary shown: {:?}",
        d.extra
    );
    api::requests::approve(&app, d.summary.id).unwrap();
    let done = wait_status(&app, d.summary.id, RequestStatus::Completed).await;
    assert!(
        done.history.iter().any(|h| h.actor == "Zimo-pagos"),
        "settled on Zimo-pagos' word: {:?}",
        done.history
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bank_rejection_reaches_the_agent_with_its_reason() {
    let (_dir, app) = sandbox().await;
    let d = pick(&app, true);
    api::requests::approve(&app, d.summary.id).unwrap();
    let done = wait_status(&app, d.summary.id, RequestStatus::RejectedByProvider).await;
    assert!(
        done.provider_reason.is_some(),
        "the bank's reason is shown: {done:?}"
    );
    app.shutdown().await;
}

fn clabe(body: &str) -> String {
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = digits
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| (d * w) % 10)
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_beneficiary_is_refused_at_intake_naming_the_field() {
    let (_dir, app) = sandbox().await;
    let err = intake::submit(&app, &IntakeRequest {
        intake_ref: "zp-bad".into(), kind: RequestKind::Withdrawal, provider: ProviderKind::ZimoPagos,
        account_id: None, method: "clabe".into(), amount: "10.005".into(), currency: "MXN".into(),
        end_user_ref: "mx_2".into(), end_user_name: None, provider_user_id: None, trx_id: None, sender: None,
        agent_number: None, destination: None,
        details: serde_json::json!({"country": "MX", "document_id": "X", "beneficiary_name": "A", "bank_account": "123"}),
        screenshot: None,
    })
    .unwrap_err();
    assert!(err.to_string().contains("amount"), "{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_files_a_cashout_with_the_beneficiary_typed_in_the_form() {
    let (_dir, app) = sandbox().await;
    let account = api::accounts::list_accounts(&app)
        .unwrap()
        .into_iter()
        .find(|a| a.provider == ProviderKind::ZimoPagos)
        .unwrap()
        .id;
    let form = api::desk::request_form(&app, account).await.unwrap();
    assert_eq!(form.kinds, [RequestKind::Withdrawal], "cashouts only");
    assert!(
        form.methods
            .iter()
            .any(|m| m.method == "clabe" && m.currency == "MXN")
    );
    let bank_code = form.details.iter().find(|f| f.name == "bank_code").unwrap();
    assert!(bank_code.number);
    let mut fields = DraftFields {
        kind: Some(RequestKind::Withdrawal),
        account_id: Some(account),
        method: "clabe".into(),
        amount: "1250.75".into(),
        end_user_ref: "mx_desk".into(),
        destination: clabe("00201007777777777"),
        ..Default::default()
    };
    for (k, v) in [
        ("country", "MX"),
        ("document_id", "GOGM800101MDFNNR09"),
        ("beneficiary_name", "María"),
        ("beneficiary_lastname", "González"),
        ("bank_code", "40012"),
        ("beneficiary_birthdate", "19800101"),
    ] {
        fields.details.insert(k.into(), v.into());
    }
    // A wrong birthdate is named when submitting; nothing is filed.
    fields
        .details
        .insert("beneficiary_birthdate".into(), "1980-01-01".into());
    let draft = api::drafts::save_draft(&app, None, &fields).unwrap();
    let err = api::drafts::submit_draft(&app, draft.id).unwrap_err();
    assert!(err.message.contains("birthdate"), "{}", err.message);
    fields
        .details
        .insert("beneficiary_birthdate".into(), "19800101".into());
    api::drafts::save_draft(&app, Some(draft.id), &fields).unwrap();
    let rec = api::drafts::submit_draft(&app, draft.id).unwrap();
    let stored = app.store().get_request(rec.summary.id).unwrap();
    assert_eq!(stored.details["bank_code"], serde_json::json!(40012));
    assert_eq!(
        stored.details["bank_account"],
        serde_json::json!(clabe("00201007777777777"))
    );
    // Whoever typed it never approves it: another operator does.
    common::act_as(&app, "Omar");
    api::requests::approve(&app, rec.summary.id).unwrap();
    wait_status(&app, rec.summary.id, RequestStatus::Completed).await;
    app.shutdown().await;
}
