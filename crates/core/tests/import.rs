//! CSV import: every row checked as the intake API checks it; one refused
//! row files nothing (each row says why); a clean file is filed in one
//! transaction, and importing it again files nothing twice.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, dto::*};
use cashdesk_sim::paykassma::{PaykassmaSim, PaykassmaSimConfig};
use common::*;

fn queued(app: &Cashdesk) -> usize {
    api::requests::list_queue(
        app,
        &QueueQuery {
            tab: QueueTab::Queue,
            provider: None,
            kind: None,
            limit: Some(100),
            ..Default::default()
        },
    )
    .unwrap()
    .items
    .len()
}

const HEADER: &str = "intake_ref,kind,provider,account,method,amount,currency,end_user_ref,trx_id,destination,details.account_email,details.account_name,details.bank_details.bank_code";

#[tokio::test(flavor = "multi_thread")]
async fn one_refused_row_files_nothing_and_a_clean_file_is_filed_once() {
    let dir = tempfile::tempdir().unwrap();
    let sim = PaykassmaSim::start(PaykassmaSimConfig::default())
        .await
        .unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    add_paykassma_account(&app, &sim, "PK Dhaka");

    let rows = [
        "b-1,deposit,paykassma,PK Dhaka,bkash,500,BDT,bd_1,TRX0000001,,,,",
        "b-2,withdrawal,paykassma,PK Dhaka,bkash,700,BDT,bd_2,,01712345678,a@example.com,,",
        // A Nagad number must be 01 and 9 digits.
        "b-3,withdrawal,paykassma,,nagad,900,BDT,bd_3,,0171234,,,",
        "b-4,withdrawal,paykassma,,imps_ib,2500,INR,in_4,,50100012345678,,Priya Sharma,HDFC0001234",
        "b-1,deposit,paykassma,,bkash,500,BDT,bd_1,TRX0000001,,,,",
    ];
    let file = format!("{HEADER}\n{}\n", rows.join("\n"));
    let report = api::import::import_csv(&app, &file).unwrap();
    assert!(!report.committed);
    assert_eq!(report.filed, 0);
    assert_eq!(queued(&app), 0, "nothing half-imported");
    let by_line = |l: u32| report.rows.iter().find(|r| r.line == l).unwrap();
    assert!(by_line(2).ok && by_line(3).ok && by_line(5).ok);
    assert!(!by_line(4).ok);
    assert_eq!(by_line(4).intake_ref, "b-3", "a refused row is named");
    assert!(
        by_line(4).message.contains("account_number"),
        "{}",
        by_line(4).message
    );
    assert!(!by_line(6).ok);
    assert!(
        by_line(6).message.contains("repeats line 2"),
        "{}",
        by_line(6).message
    );

    // Fixed: the whole file goes in, once.
    let fixed = format!(
        "{HEADER}\n{}\n{}\n{}\n{}\n",
        rows[0],
        rows[1],
        rows[2].replace("0171234", "01712345678"),
        rows[3]
    );
    let report = api::import::import_csv(&app, &fixed).unwrap();
    assert!(report.committed, "{:?}", report.rows);
    assert_eq!(report.filed, 4);
    assert_eq!(queued(&app), 4);
    let again = api::import::import_csv(&app, &fixed).unwrap();
    assert!(again.committed);
    assert_eq!((again.filed, again.already_filed), (0, 4));
    assert_eq!(queued(&app), 4, "importing twice files nothing twice");
    let imps = app.store().find_by_intake_ref("b-4").unwrap().unwrap();
    assert_eq!(imps.details["bank_details"]["bank_code"], "HDFC0001234");
    assert_eq!(imps.details["account_name"], "Priya Sharma");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_with_an_unknown_column_is_refused_as_a_whole() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    common::act_as(&app, "Rina");
    let report = api::import::import_csv(
        &app,
        "intake_ref,kind,provider,method,amount,currency,colour\nx,deposit,zexabit,bkash,1,BDT,red\n",
    )
    .unwrap();
    assert!(!report.committed);
    assert!(
        report
            .file_error
            .unwrap()
            .contains("unknown column \"colour\""),
    );
    app.shutdown().await;
}
