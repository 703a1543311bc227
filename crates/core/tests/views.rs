//! The queue as the window asks for it: search and filters checked in the
//! core, cursors that belong to one order, and each operator's saved views
//! counted live.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::dto::{ErrorCode, QueueOrder, QueueQuery, QueueTab};
use cashdesk_core::api::{requests::list_queue, views};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind, RequestStatus};
use cashdesk_store::{NewRequest, Source};
use common::*;

fn new(acc: AccountId, i: usize) -> NewRequest {
    NewRequest {
        kind: RequestKind::Deposit,
        provider: ProviderKind::Zexabit,
        account_id: acc,
        method: "bkash".into(),
        money: Money::parse(&format!("{}", 100 * (i + 1)), "BDT").unwrap(),
        end_user_ref: format!("usr_{i}"),
        end_user_name: None,
        provider_user_id: None,
        trx_id: Some(format!("TRX{i:04}AB")),
        sender: None,
        destination: None,
        agent_number: None,
        source: Source::Intake,
        intake_ref: None,
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn search_filters_and_saved_views_with_live_counts() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    let acc = offline_zexabit_account(&app);
    let batch: Vec<NewRequest> = (0..30).map(|i| new(acc, i)).collect();
    app.store().insert_requests(&batch, &Actor::Intake).unwrap();

    let q = QueueQuery {
        search: Some("trx0017".into()),
        ..Default::default()
    };
    let page = list_queue(&app, &q).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].end_user, "usr_17");
    let r = &page.items[0];
    let due = chrono::DateTime::parse_from_rfc3339(r.due_at.as_deref().unwrap()).unwrap();
    let arrived = chrono::DateTime::parse_from_rfc3339(&r.created_at).unwrap();
    assert_eq!(
        (due - arrived).num_minutes(),
        15,
        "arrival plus the default SLA"
    );

    // 100..3000 in steps of 100: 2500 and up, largest first, paged by 2
    let mut q = QueueQuery {
        amount_min: Some("2500".into()),
        order: Some(QueueOrder::Amount),
        limit: Some(2),
        ..Default::default()
    };
    let mut users = Vec::new();
    loop {
        let page = list_queue(&app, &q).unwrap();
        users.extend(page.items.iter().map(|r| r.end_user.clone()));
        match page.next {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    assert_eq!(
        users,
        ["usr_29", "usr_28", "usr_27", "usr_26", "usr_25", "usr_24"]
    );
    // a cursor of the amount order does not page the arrival order
    let by_amount = list_queue(
        &app,
        &QueueQuery {
            after: None,
            ..q.clone()
        },
    )
    .unwrap();
    let wrong = QueueQuery {
        order: None,
        after: by_amount.next,
        ..q.clone()
    };
    assert_eq!(refusal(list_queue(&app, &wrong)), ErrorCode::InvalidInput);

    for bad in [
        QueueQuery {
            amount_min: Some("ten".into()),
            ..Default::default()
        },
        QueueQuery {
            amount_min: Some("-5".into()),
            ..Default::default()
        },
        QueueQuery {
            amount_min: Some("500".into()),
            amount_max: Some("100".into()),
            ..Default::default()
        },
        QueueQuery {
            tab: QueueTab::Queue,
            status: Some(RequestStatus::Completed),
            ..Default::default()
        },
    ] {
        assert_eq!(
            refusal(list_queue(&app, &bad)),
            ErrorCode::InvalidInput,
            "{bad:?}"
        );
    }

    // Saved views: counted now, replaced by name, personal, deleted.
    let big = QueueQuery {
        amount_min: Some("2000".into()),
        ..Default::default()
    };
    let saved = views::save_view(&app, " Big ones ", &big).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].name, "Big ones");
    assert_eq!(saved[0].count, Some(11));
    let fifteen = QueueQuery {
        search: Some("TRX0015".into()),
        ..Default::default()
    };
    let saved = views::save_view(&app, "Big ones", &fifteen).unwrap();
    assert_eq!(saved.len(), 1, "same name replaces");
    assert_eq!(saved[0].count, Some(1));
    app.store()
        .insert_requests(&[new(acc, 15)], &Actor::Intake)
        .unwrap();
    assert_eq!(views::saved_views(&app).unwrap()[0].count, Some(2), "live");
    assert_eq!(
        refusal(views::save_view(&app, "", &big)),
        ErrorCode::InvalidInput,
        "a name is needed"
    );
    assert_eq!(
        refusal(views::save_view(
            &app,
            "bad",
            &QueueQuery {
                amount_max: Some("x".into()),
                ..Default::default()
            }
        )),
        ErrorCode::InvalidInput,
        "a view that cannot run is not saved"
    );
    for i in 0..11 {
        views::save_view(&app, &format!("v{i}"), &big).unwrap();
    }
    assert_eq!(
        refusal(views::save_view(&app, "one too many", &big)),
        ErrorCode::InvalidInput
    );

    act_as(&app, "Nadia");
    assert!(views::saved_views(&app).unwrap().is_empty(), "Sami's own");
    act_as(&app, "Sami");
    let left = views::delete_view(&app, "Big ones").unwrap();
    assert_eq!(left.len(), 11);
    assert!(left.iter().all(|v| v.name != "Big ones"));
}

/// The filters offer every currency and method stored, not only those of
/// the rows the window has loaded: a method seen once among many is there.
#[tokio::test(flavor = "multi_thread")]
async fn the_filters_offer_every_stored_currency_and_method() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    let acc = offline_zexabit_account(&app);
    let mut batch: Vec<NewRequest> = (0..300).map(|i| new(acc, i)).collect();
    batch[299].method = "upay".into();
    batch[150].money = Money::parse("12", "USDT").unwrap();
    app.store().insert_requests(&batch, &Actor::Intake).unwrap();
    // The first page (100 rows) holds neither.
    let page = list_queue(&app, &QueueQuery::default()).unwrap();
    assert!(
        page.items
            .iter()
            .all(|r| !r.amount_display.contains("USDT"))
    );
    let choices = views::filter_choices(&app).unwrap();
    assert_eq!(choices.currencies, ["BDT", "USDT"]);
    let ids: Vec<&str> = choices.methods.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["bkash", "upay"]);
}
