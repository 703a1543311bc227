//! Zimo-pagos' desk form: the beneficiary of a cashout.

use crate::api::dto::{DetailField, detail};
use crate::providers::reference::Method;
use cashdesk_domain::RequestKind;

/// The Zimo-pagos beneficiary (the cashout body's fields).
pub(crate) fn details() -> Vec<DetailField> {
    let w = RequestKind::Withdrawal;
    let all = ["*"];
    let mut v = vec![
        detail("country", "Country", "ISO 3166-1 alpha-2, e.g. MX", w, &all),
        detail("beneficiary_name", "Beneficiary first name", "", w, &all),
        detail("beneficiary_lastname", "Beneficiary last name", "", w, &[]),
        detail("document_id", "Document id", "e.g. the CURP", w, &all),
        detail("document_type", "Document type", "e.g. CURP, RFC", w, &[]),
        detail("beneficiary_birthdate", "Birthdate", "YYYYMMDD", w, &[]),
        detail("email", "E-mail", "", w, &[]),
        detail("phone", "Phone", "", w, &[]),
        detail("bank_code", "Bank code", "A number", w, &[]),
        detail("comments", "Comments", "", w, &[]),
    ];
    if let Some(f) = v.iter_mut().find(|f| f.name == "bank_code") {
        f.number = true;
    }
    v
}

/// Zimo-pagos pays out to Mexican bank accounts: an 18-digit CLABE or a
/// debit card (routed to the card host when Luhn-valid). Other countries
/// come through intake with their own details.
pub(crate) fn methods() -> Vec<Method> {
    [
        ("clabe", "CLABE (bank account)"),
        ("debit_card", "Debit card"),
    ]
    .into_iter()
    .map(|(m, l)| Method {
        method: m.into(),
        label: l.into(),
        currency: "MXN".into(),
        kind: Some(RequestKind::Withdrawal),
        min: None,
        max: None,
        manual: false,
        screenshot: false,
    })
    .collect()
}
