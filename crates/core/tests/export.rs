//! A complete export: every row of the view (the file's rows equal the
//! view's count), the filter and time in its first line, exact amounts,
//! and no cell a spreadsheet would run as a formula.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::dto::QueueTab;
use cashdesk_core::api::export::{ExportQuery, export_view_to};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind};
use cashdesk_store::{NewRequest, QueueFilter, QueueView, Source};
use common::*;

fn new(acc: AccountId, i: usize, name: &str) -> NewRequest {
    NewRequest {
        kind: if i.is_multiple_of(3) {
            RequestKind::Withdrawal
        } else {
            RequestKind::Deposit
        },
        provider: ProviderKind::Zexabit,
        account_id: acc,
        method: "bkash".into(),
        money: Money::parse(&format!("{}.25", 100 + i), "BDT").unwrap(),
        end_user_ref: format!("usr_{i}"),
        end_user_name: Some(name.into()),
        provider_user_id: None,
        trx_id: None,
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
async fn every_row_of_the_view_is_exported_with_the_filter_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Sami");
    let acc = offline_zexabit_account(&app);
    // More rows than any page: the export must not stop at one.
    let batch: Vec<NewRequest> = (0..1234)
        .map(|i| {
            new(
                acc,
                i,
                if i == 700 {
                    "=HYPERLINK(\"http://x\")"
                } else {
                    "Karim, \"K\""
                },
            )
        })
        .collect();
    let filed = app.store().insert_requests(&batch, &Actor::Intake).unwrap();
    for (r, _) in filed.iter().take(200) {
        app.store()
            .reject(r.id, &Actor::System, "duplicate")
            .unwrap();
    }

    for (tab, view, kind) in [
        (QueueTab::Queue, QueueView::Queue, None),
        (QueueTab::Done, QueueView::Done, None),
        (
            QueueTab::Queue,
            QueueView::Queue,
            Some(RequestKind::Withdrawal),
        ),
    ] {
        let path = dir.path().join(format!("export-{tab:?}-{kind:?}.csv"));
        let rows = export_view_to(
            &app,
            &ExportQuery {
                tab,
                provider: None,
                kind,
                ..Default::default()
            },
            &path,
        )
        .unwrap();
        let mut f = QueueFilter::view(view);
        f.kind = kind;
        assert_eq!(
            rows,
            app.store().count_in_view(&f).unwrap(),
            "{tab:?} {kind:?}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# Cashdesk export; view "),
            "{}",
            &text[..80]
        );
        assert!(text.lines().next().unwrap().contains("by Sami"));
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len() as u64, rows, "the file holds every row");
        let header = reader.headers().unwrap().clone();
        let amount = header.iter().position(|h| h == "amount").unwrap();
        let name = header.iter().position(|h| h == "end_user_name").unwrap();
        assert!(
            records.iter().all(|r| r[amount].ends_with(".25")),
            "exact amounts"
        );
        for r in &records {
            assert!(!r[name].starts_with('='), "no formula: {}", &r[name]);
        }
    }
    let queue = dir.path().join("export-Queue-None.csv");
    let text = std::fs::read_to_string(queue).unwrap();
    assert_eq!(
        text.lines().count(),
        2 + 1034,
        "comment, header, 1,034 pending"
    );
    assert!(text.contains("'=HYPERLINK"), "the formula is kept as text");
}
