//! Property tests of the core's parsers of outside input: the intake JSON
//! body and CSV import. Any input is read or refused with a report, never
//! a panic, and a refused import files nothing.
//! Cases: `PROPTEST_CASES` (256 by default; the long run: docs/TESTING.md).

mod common;

use cashdesk_core::intake::IntakeRequest;
use cashdesk_core::{Cashdesk, api};
use common::*;
use proptest::prelude::*;
use std::sync::OnceLock;

static DESK: OnceLock<(tempfile::TempDir, Cashdesk)> = OnceLock::new();

/// One desk for every case (no provider account: rows are read, checked
/// and refused, which is the parsing under test).
fn desk() -> &'static Cashdesk {
    &DESK
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let app = Cashdesk::open(config(dir.path())).unwrap();
            common::act_as(&app, "Rina");
            (dir, app)
        })
        .1
}

/// Requests filed so far, read from the database file itself.
fn filed() -> i64 {
    desk();
    let dir = DESK.get().unwrap().0.path();
    rusqlite::Connection::open(dir.join("cashdesk.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM requests", [], |r| r.get(0))
        .unwrap()
}

const COLUMNS: [&str; 16] = [
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
    "details.bank_code",
    "unknown",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-0-9.,e ]{0,14}",
        prop::sample::select(vec![
            "deposit",
            "withdrawal",
            "zexabit",
            "paykassma",
            "zimo_pagos",
            "cashweb",
            "bkash",
            "BDT",
            "500",
            "\"",
            "\"\"",
            ",",
            "\n",
            "\r\n",
        ])
        .prop_map(str::to_owned),
    ]
}

fn csv_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(COLUMNS.to_vec()), 1..8),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..5),
    )
        .prop_map(|(header, rows)| {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            w.write_record(&header).unwrap();
            for r in rows {
                w.write_record(&r).unwrap();
            }
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        })
}

proptest! {
    #[test]
    fn any_bytes_as_an_intake_body_are_read_or_refused(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<IntakeRequest>(&body);
    }

    #[test]
    fn any_text_as_a_csv_import_is_reported_never_a_panic(text in any::<String>()) {
        let before = filed();
        let _ = api::import::import_csv(desk(), &text);
        prop_assert_eq!(filed(), before);
    }

    #[test]
    fn csv_files_of_known_and_unknown_columns_are_reported(text in csv_text()) {
        let before = filed();
        let _ = api::import::import_csv(desk(), &text);
        prop_assert_eq!(filed(), before, "no account: nothing filed");
    }
}
