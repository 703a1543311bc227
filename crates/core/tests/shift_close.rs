//! Shift close against real providers on loopback: Paykassma's balances
//! asked of its simulator (per wallet), a Zexabit account whose balance a
//! supervisor types, money completed in the shift, a planted variance that
//! needs a reason, the signature, the report and its export.

mod common;

use cashdesk_core::api::shifts::{self, BalanceInput, LineReason, SignClose};
use cashdesk_core::api::{self, dto::ErrorCode, shift_report};
use cashdesk_core::intake;
use cashdesk_domain::{RequestKind, RequestStatus, Role};
use common::paykassma_desk::*;
use common::*;
use std::time::Duration;

fn typed(acc: cashdesk_domain::AccountId, amount: &str) -> BalanceInput {
    BalanceInput {
        account_id: acc,
        wallet: None,
        currency: "BDT".into(),
        amount: amount.into(),
    }
}

fn dec(s: Option<&str>) -> rust_decimal::Decimal {
    s.expect("an amount").parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shift_closes_against_the_providers_balances_with_every_variance_explained() {
    let d = desk(true, Duration::from_millis(200)).await;
    let zx = offline_zexabit_account(&d.app);

    assert!(shifts::shifts(&d.app).unwrap().open.is_none());
    // The first shift: Paykassma's balances as it reports them, Zexabit's typed.
    assert_eq!(
        refusal(shifts::open_shift(&d.app, &[typed(d.account, "1")]).await),
        ErrorCode::InvalidInput,
        "a reported balance is not typed"
    );
    let opened = shifts::open_shift(&d.app, &[typed(zx, "500")])
        .await
        .unwrap();

    // In the shift: a 750 deposit and a 1500 payout through bKash.
    let (dep, _) = intake::submit(
        &d.app,
        &request(&d, RequestKind::Deposit, "750", serde_json::json!({})),
    )
    .unwrap();
    api::requests::approve(&d.app, dep.id).unwrap();
    let wd = withdrawal(&d, "1500");
    api::requests::approve(&d.app, wd.id).unwrap();
    wait_status(&d.app, dep.id, RequestStatus::Completed).await;
    wait_status(&d.app, wd.id, RequestStatus::Completed).await;

    let preview = shifts::preview_close(&d.app).await.unwrap();
    assert_eq!(preview.shift.id, opened.id);
    assert!(preview.notes.is_empty(), "{:?}", preview.notes);
    let bkash = preview
        .lines
        .iter()
        .find(|l| l.account_id == d.account && l.wallet == "bkash")
        .expect("a bKash line");
    // 100000 (simulator's opening) + 750 − 1500, and the provider agrees.
    assert_eq!(dec(bkash.opening.as_deref()), dec(Some("100000")));
    assert_eq!((bkash.deposits_count, bkash.withdrawals_count), (1, 1));
    assert_eq!(dec(Some(&bkash.expected)), dec(Some("99250")));
    assert_eq!(dec(bkash.closing.as_deref()), dec(Some("99250")));
    assert_eq!(dec(bkash.variance.as_deref()), dec(Some("0")));
    let zx_line = preview
        .lines
        .iter()
        .find(|l| l.account_id == zx)
        .expect("the typed account's line");
    assert_eq!(dec(Some(&zx_line.expected)), dec(Some("500")));
    assert_eq!(zx_line.closing, None, "typed at close");

    let form = |balances: Vec<BalanceInput>, reasons: Vec<LineReason>, secret: &str| SignClose {
        token: preview.token.clone(),
        balances,
        reasons,
        secret: secret.into(),
    };
    let msg = |r: api::ApiResult<shift_report::ShiftReport>| r.expect_err("refused").message;
    assert!(
        msg(shifts::sign_close(&d.app, &form(vec![], vec![], PASSWORD)))
            .contains("type the balance")
    );
    // A planted variance: 490 counted against 500 expected.
    let short = vec![typed(zx, "490")];
    assert!(
        msg(shifts::sign_close(
            &d.app,
            &form(short.clone(), vec![], PASSWORD)
        ))
        .contains("variance of -10 needs a reason")
    );
    let reason = vec![LineReason {
        account_id: zx,
        wallet: None,
        currency: "BDT".into(),
        reason: "Counted cash short by 10".into(),
    }];
    assert_eq!(
        refusal(shifts::sign_close(
            &d.app,
            &form(short.clone(), reason.clone(), "wrong")
        )),
        ErrorCode::LoggedOut
    );
    let report =
        shifts::sign_close(&d.app, &form(short.clone(), reason.clone(), PASSWORD)).unwrap();
    assert_eq!(report.variances, 1);
    assert_eq!(report.signed_by, "Rina");
    // Signed once: the same preview cannot be signed again.
    assert_eq!(
        refusal(shifts::sign_close(&d.app, &form(short, reason, PASSWORD))),
        ErrorCode::InvalidInput
    );

    // The next shift opened with the closing balances.
    let view = shifts::shifts(&d.app).unwrap();
    assert_eq!(view.closed.len(), 1);
    let next = shifts::preview_close(&d.app).await.unwrap();
    let carried = next.lines.iter().find(|l| l.account_id == zx).unwrap();
    assert_eq!(carried.opening.as_deref(), Some("490"));
    assert_eq!(carried.opening_source.as_deref(), Some("carried"));

    // The report reads back, and exports as a file a person can hand over.
    let again = shift_report::shift_report(&d.app, opened.id).unwrap();
    assert_eq!(again.lines.len(), report.lines.len());
    let export_dir = tempfile::tempdir().unwrap();
    let file = export_dir.path().join("shift.csv");
    let out = shift_report::export_shift_to(&d.app, opened.id, &file).unwrap();
    assert_eq!(out.rows as usize, report.lines.len());
    let text = std::fs::read_to_string(&out.path).unwrap();
    assert!(
        text.starts_with(&format!("# Cashdesk shift {}", opened.id)),
        "{text}"
    );
    assert!(
        text.contains(",BDT,500,hand,0,0,0,0,500,490,hand,-10,Counted cash short by 10"),
        "{text}"
    );
    let audited = api::supervisor::audit_trail(
        &d.app,
        &api::supervisor::AuditQuery {
            action: Some("shift.close".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(audited.len(), 1);
    assert!(audited[0].details.contains("Counted cash short by 10"));
    d.app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_supervisors_open_and_close_shifts_and_see_the_desk() {
    let d = desk(false, Duration::from_millis(200)).await;
    add_person(&d.app, "Agnes", &[Role::Agent]);
    act_as(&d.app, "Agnes");
    let refused = |c: ErrorCode| assert_eq!(c, ErrorCode::NeedsRole);
    refused(refusal(shifts::shifts(&d.app)));
    refused(refusal(shifts::open_shift(&d.app, &[]).await));
    refused(refusal(shifts::preview_close(&d.app).await));
    refused(refusal(api::overview::overview(
        &d.app,
        api::overview::OverviewRange::Day,
    )));
    refused(refusal(api::people::people(&d.app)));
    d.app.shutdown().await;
}
