//! Property tests of the notification reader (no signature the document
//! lets us check, so anyone may send one): any body under any content type
//! is refused or read, never a panic, and a form built from any values of
//! the documented fields is read back to the same ids.
//! Cases: `PROPTEST_CASES` (256 by default; the long run: docs/TESTING.md).

use cashdesk_zimo_pagos::Notification;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_body_is_refused_or_read(body in prop::collection::vec(any::<u8>(), 0..512), ct in prop::option::of(any::<String>())) {
        let _ = Notification::parse(ct.as_deref(), &body);
        let _ = Notification::parse(Some("application/x-www-form-urlencoded"), &body);
    }

    #[test]
    fn a_form_of_the_documented_fields_reads_back(external_id in "[A-Za-z0-9_-]{1,40}", cashout_id in any::<u64>(), comments in any::<String>()) {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("cashout_id", &cashout_id.to_string())
            .append_pair("external_id", &external_id)
            .append_pair("date", "2026-12-05 10:00:00")
            .append_pair("comments", &comments)
            .append_pair("control", "X")
            .finish();
        let n = Notification::parse(Some("application/x-www-form-urlencoded"), body.as_bytes()).unwrap();
        prop_assert_eq!(n.external_id.as_deref(), Some(external_id.as_str()));
        prop_assert_eq!(n.cashout_id.map(|c| c.0), Some(cashout_id));
    }
}
