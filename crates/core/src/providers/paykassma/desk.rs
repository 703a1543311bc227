//! Paykassma's desk form: withdrawal fields, required per payment system.

use crate::api::dto::{DetailField, detail};
use cashdesk_domain::RequestKind;
use cashdesk_paykassma::{Rules, WithdrawalField};

/// Paykassma withdrawal fields, required per payment system as the
/// account's rules say (the account number is the destination field).
pub(crate) fn details(rules: &Rules) -> Vec<DetailField> {
    use WithdrawalField::*;
    let fields = [
        (AccountName, "Account holder name", ""),
        (AccountEmail, "Account e-mail", ""),
        (BankCode, "IFSC / bank code", "IMPS: 11 letters and digits"),
        (BranchCode, "Branch code", ""),
        (AccountType, "Account type", ""),
        (DocumentType, "Document type", ""),
        (DocumentId, "Document id", ""),
        (Iban, "IBAN", ""),
    ];
    fields
        .iter()
        .map(|(f, label, hint)| {
            let req: Vec<&str> = rules
                .withdrawals
                .iter()
                .filter(|(_, r)| r.required.contains(f))
                .map(|(code, _)| code.as_str())
                .collect();
            detail(f.name(), label, hint, RequestKind::Withdrawal, &req)
        })
        .collect()
}
