//! Paykassma through the core over real HTTP: approving activates a
//! deposit or sends the signed withdrawal once; signed postbacks settle
//! them (forged ones and savings: `paykassma_postbacks.rs`). Ambiguous
//! failures: `evidence.rs`.

mod common;

use cashdesk_core::api::{self, dto::*};
use cashdesk_core::intake;

use cashdesk_domain::{RequestKind, RequestStatus};
use cashdesk_store::RequestRecord;
use common::paykassma_desk::*;
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_deposit_is_activated_and_completed_by_the_postback() {
    let d = desk(true, Duration::from_millis(300)).await;
    let (rec, _) = intake::submit(
        &d.app,
        &request(&d, RequestKind::Deposit, "500", serde_json::json!({})),
    )
    .unwrap();
    api::requests::approve(&d.app, rec.id).unwrap();
    let done = wait_status(&d.app, rec.id, RequestStatus::Completed).await;
    assert!(
        done.history.iter().any(|h| h.actor == "Paykassma"),
        "settled on Paykassma's word: {:?}",
        done.history
    );
    let payments = d.sim.payments();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].key1, "TRX8K2M4Q7");
    assert_eq!(payments[0].custom_id, rec.merchant_ref.0);
    assert_eq!(payments[0].label, "bd_rahim");
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_withdrawal_is_completed_by_the_postback() {
    let d = desk(true, Duration::from_millis(300)).await;
    let rec = withdrawal(&d, "1500");
    api::requests::approve(&d.app, rec.id).unwrap();
    wait_status(&d.app, rec.id, RequestStatus::Completed).await;
    let w = d.sim.withdrawals();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].withdrawal_id, rec.merchant_ref.0);
    assert_eq!(w[0].amount, 1500);
    assert_eq!(w[0].account_number.as_deref(), Some("01712345678"));
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn insufficient_balance_reaches_the_agent_as_paykassmas_reason() {
    let d = desk(true, Duration::from_millis(300)).await;
    let rec = withdrawal(&d, "500000");
    api::requests::approve(&d.app, rec.id).unwrap();
    let done = wait_status(&d.app, rec.id, RequestStatus::RejectedByProvider).await;
    let reason = done.provider_reason.unwrap_or_default();
    assert!(reason.contains("Insufficient balance"), "{reason}");
    assert!(d.sim.withdrawals().is_empty());
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_account_number_is_refused_at_intake_naming_the_field() {
    let d = desk(false, Duration::from_millis(300)).await;
    let details =
        serde_json::json!({"account_number": "0171234", "account_email": "rahim@example.com"});
    let err = intake::submit(
        &d.app,
        &request(&d, RequestKind::Withdrawal, "500", details),
    )
    .unwrap_err();
    assert!(err.to_string().contains("account_number"), "{err}");
    let details = serde_json::json!({"account_number": "01712345678"});
    let err = intake::submit(
        &d.app,
        &request(&d, RequestKind::Withdrawal, "500", details),
    )
    .unwrap_err();
    assert!(err.to_string().contains("account_email"), "{err}");
    d.app.shutdown().await;
}

/// Stand-in screenshot bytes (the adapter checks the type, not pixels).
const SHOT: &[u8] = b"\x89PNG\r\n\x1a\nnot really pixels";

fn shot_input(name: &str) -> cashdesk_core::api::desk::ScreenshotInput {
    use base64::Engine;
    cashdesk_core::api::desk::ScreenshotInput {
        file_name: name.into(),
        content_type: "image/png".into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(SHOT),
    }
}

/// A deposit to the IMPS manual payment system (INR, 12-digit UTR).
fn imps_deposit(d: &Desk, with_shot: bool) -> RequestRecord {
    let mut req = request(d, RequestKind::Deposit, "1200", serde_json::json!({}));
    req.method = "imps".into();
    req.currency = "INR".into();
    req.trx_id = Some("412345678901".into());
    if with_shot {
        let s = shot_input("receipt.png");
        req.screenshot = Some(intake::IntakeScreenshot {
            file_name: s.file_name,
            content_type: s.content_type,
            data_base64: s.data_base64,
        });
    }
    intake::submit(&d.app, &req).unwrap().0
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manual_system_deposit_goes_as_a_possible_transaction_with_its_screenshot() {
    let d = desk(true, Duration::from_millis(300)).await;
    let rec = imps_deposit(&d, true);
    let detail = api::requests::get_request(&d.app, rec.id).unwrap();
    let shot = detail
        .screenshot
        .expect("the screenshot is kept with the request");
    assert_eq!(shot.file_name, "receipt.png");
    let url = api::desk::attachment_data(&d.app, &shot.id).unwrap();
    assert!(url.starts_with("data:image/png;base64,"), "{url}");
    // Once the payment systems are known the queue shows Paykassma's name.
    api::desk::list_methods(&d.app, d.account).await.unwrap();
    let summary = api::requests::get_request(&d.app, rec.id).unwrap().summary;
    assert_eq!(summary.method_label, "IMPS");

    api::requests::approve(&d.app, rec.id).unwrap();
    wait_status(&d.app, rec.id, RequestStatus::Completed).await;
    let payments = d.sim.payments();
    assert_eq!(payments.len(), 1);
    let p = &payments[0];
    assert_eq!(
        p.kind,
        cashdesk_sim::paykassma::PaymentKind::PossibleTransaction
    );
    assert_eq!(p.custom_id, rec.merchant_ref.0);
    assert_eq!(p.key1, "412345678901");
    let sent = p.screenshot.as_ref().expect("the screenshot was uploaded");
    assert_eq!(sent.bytes, SHOT);
    assert_eq!(sent.file_name, "receipt.png");
    assert_eq!(sent.content_type, "image/png");
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_screenshot_attached_at_the_desk_is_sent_and_fixed_once_decided() {
    let d = desk(true, Duration::from_millis(300)).await;
    let rec = imps_deposit(&d, false);
    let target = api::desk::AttachTarget::Request(rec.id);
    // Not an image type Paykassma takes: refused with the reason.
    let mut wrong = shot_input("receipt.exe");
    wrong.content_type = "application/x-msdownload".into();
    let err = api::desk::attach_screenshot(&d.app, target, &wrong).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("screenshot"), "{}", err.message);

    api::desk::attach_screenshot(&d.app, target, &shot_input("utr.png")).unwrap();
    let detail = api::requests::get_request(&d.app, rec.id).unwrap();
    assert!(
        detail.history.iter().any(|h| h
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("screenshot attached: utr.png"))),
        "{:?}",
        detail.history
    );
    api::requests::approve(&d.app, rec.id).unwrap();
    let late = api::desk::attach_screenshot(&d.app, target, &shot_input("other.png")).unwrap_err();
    assert_eq!(late.code, ErrorCode::NotAllowed, "{}", late.message);
    wait_status(&d.app, rec.id, RequestStatus::Completed).await;
    let sent = d.sim.payments()[0].screenshot.clone().unwrap();
    assert_eq!(sent.file_name, "utr.png");
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_form_offers_paykassma_systems_and_files_a_withdrawal_with_nested_details() {
    let d = desk(true, Duration::from_millis(300)).await;
    let form = api::desk::request_form(&d.app, d.account).await.unwrap();
    assert_eq!(form.kinds, [RequestKind::Deposit, RequestKind::Withdrawal]);
    let imps = form
        .methods
        .iter()
        .find(|m| m.method == "imps" && m.kind == Some(RequestKind::Deposit))
        .expect("IMPS is listed");
    assert!(imps.manual && imps.screenshot);
    assert_eq!(imps.currency, "INR");
    let out = form
        .methods
        .iter()
        .find(|m| m.method == "imps_ib" && m.kind == Some(RequestKind::Withdrawal))
        .expect("IMPS IB withdrawals are offered");
    assert_eq!(out.currency, "INR");
    let ifsc = form
        .details
        .iter()
        .find(|f| f.name == "bank_details.bank_code")
        .unwrap();
    assert_eq!(ifsc.required_for, ["imps_ib"]);

    let mut fields = DraftFields {
        kind: Some(RequestKind::Withdrawal),
        account_id: Some(d.account),
        method: "imps_ib".into(),
        amount: "2500".into(),
        end_user_ref: "in_priya".into(),
        destination: "50100012345678".into(),
        ..Default::default()
    };
    fields
        .details
        .insert("account_name".into(), "Priya Sharma".into());
    fields
        .details
        .insert("bank_details.bank_code".into(), "HDFC0001234".into());
    let draft = api::drafts::save_draft(&d.app, None, &fields).unwrap();
    let rec = api::drafts::submit_draft(&d.app, draft.id).unwrap();
    assert_eq!(rec.summary.money.to_string(), "2,500.00 INR");
    // Whoever typed it never approves it: another operator does.
    let mine = api::requests::approve(&d.app, rec.summary.id).unwrap_err();
    assert_eq!(mine.code, ErrorCode::NeedsRole, "{}", mine.message);
    act_as(&d.app, "Omar");
    api::requests::approve(&d.app, rec.summary.id).unwrap();
    wait_status(&d.app, rec.summary.id, RequestStatus::Completed).await;
    let w = &d.sim.withdrawals()[0];
    assert_eq!(w.payment_system, "imps_ib");
    assert_eq!(w.account_name.as_deref(), Some("Priya Sharma"));
    assert_eq!(
        w.bank_details
            .get("bank_code")
            .cloned()
            .flatten()
            .as_deref(),
        Some("HDFC0001234")
    );
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_keeps_its_screenshot_and_hands_it_to_the_request() {
    let d = desk(false, Duration::from_secs(60)).await;
    api::desk::list_methods(&d.app, d.account).await.unwrap();
    let fields = DraftFields {
        kind: Some(RequestKind::Deposit),
        account_id: Some(d.account),
        method: "imps".into(),
        amount: "800".into(),
        end_user_ref: "in_arjun".into(),
        trx_id: "498765432101".into(),
        ..Default::default()
    };
    let draft = api::drafts::save_draft(&d.app, None, &fields).unwrap();
    let target = api::desk::AttachTarget::Draft(draft.id);
    api::desk::attach_screenshot(&d.app, target, &shot_input("chat.png")).unwrap();
    let listed = api::drafts::list_drafts(&d.app).unwrap();
    assert_eq!(
        listed[0].screenshot.as_ref().map(|s| s.file_name.as_str()),
        Some("chat.png")
    );
    let rec = api::drafts::submit_draft(&d.app, draft.id).unwrap();
    assert_eq!(rec.screenshot.map(|s| s.file_name), Some("chat.png".into()));
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reference_data_shows_savings_minimum_deposit_and_balances() {
    let d = desk(false, Duration::from_secs(60)).await;
    let (rec, _) = intake::submit(
        &d.app,
        &request(&d, RequestKind::Deposit, "500", serde_json::json!({})),
    )
    .unwrap();
    let r = api::desk::request_reference(&d.app, rec.id).await.unwrap();
    let labels: Vec<&str> = r.facts.iter().map(|f| f.label.as_str()).collect();
    for want in [
        "Payment system",
        "Minimum deposit",
        "Savings (not yet credited)",
        "Missing to minimum",
    ] {
        assert!(labels.contains(&want), "{want} in {labels:?}");
    }
    d.sim
        .set_balance("bkash", "BDT", rust_decimal::Decimal::new(1234550, 2));
    let a = api::desk::account_reference(&d.app, d.account)
        .await
        .unwrap();
    assert!(
        a.facts
            .iter()
            .any(|f| f.label == "Balance bkash" && f.value == "12,345.50 BDT"),
        "{:?}",
        a.facts
    );
    d.app.shutdown().await;
}
