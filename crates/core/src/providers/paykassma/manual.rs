//! Paykassma deposits to manual payment systems (`is_manual = true`): they
//! are not activated but sent as a possible transaction, with the
//! customer's payment screenshot when the request has one. Which systems
//! are manual is Paykassma's answer to the payment-systems call, asked by
//! the worker at delivery (never at approval, which must not wait on the
//! network) and kept per account.

use crate::cx::Cx;
use crate::error::{CoreError, CoreResult};
use crate::providers::paykassma::Account;
use cashdesk_paykassma::{
    ActivateRequest, Error as PkError, PaymentSystemsQuery, PossibleTransactionOutcome,
    PossibleTransactionRequest, Rules, Screenshot, Wallet,
};
use cashdesk_store::{NewAttachment, OutboxOutcome, OutboxRow};
use rust_decimal::Decimal;

/// The payment system `wallet_type` as Paykassma lists it for this user,
/// from the account's cache or asked now.
pub(crate) async fn wallet(
    acc: &Account,
    currency: &str,
    label: &str,
    wallet_type: &str,
) -> Result<Option<Wallet>, PkError> {
    if let Some(w) = acc.cached_wallet(wallet_type) {
        return Ok(Some(w));
    }
    let listed = acc
        .client
        .payment_systems(&PaymentSystemsQuery {
            currency_codes: vec![currency.to_owned()],
            label: label.to_owned(),
        })
        .await?;
    acc.remember_wallets(&listed.wallets);
    Ok(listed
        .wallets
        .into_iter()
        .find(|w| w.wallet_type == wallet_type))
}

/// Checks a screenshot against the account's (or the default) rules, with
/// the adapter's own validation.
pub(crate) fn check_screenshot_with(rules: &Rules, shot: &NewAttachment) -> CoreResult<()> {
    let probe = PossibleTransactionRequest {
        currency_code: "INR".into(),
        wallet_type: "manual".into(),
        label: "label".into(),
        key1: "key1".into(),
        amount: Decimal::ONE,
        screenshot: Some(screenshot(shot)),
        custom_id: "probe".into(),
    };
    probe
        .validate(rules)
        .map_err(|e| CoreError::Invalid(e.to_string()))
}

fn screenshot(a: &NewAttachment) -> Screenshot {
    Screenshot {
        file_name: a.file_name.clone(),
        content_type: a.mime.clone(),
        bytes: a.bytes.clone(),
    }
}

/// Sends the approved deposit to a manual system as a possible transaction
/// (same custom id as an activation would carry, so the postback lookup
/// that recovers activations recovers these too).
pub(crate) async fn send(
    app: &Cx,
    acc: &Account,
    row: &OutboxRow,
    req: &ActivateRequest,
) -> Result<PossibleTransactionOutcome, PkError> {
    let shot = match app.store().request_screenshot(row.request_id) {
        Ok(Some(info)) => match app.store().attachment_bytes(&info.id) {
            Ok((_, bytes)) => Some(Screenshot {
                file_name: info.file_name,
                content_type: info.mime,
                bytes,
            }),
            Err(e) => return Err(not_sent(e)),
        },
        Ok(None) => None,
        Err(e) => return Err(not_sent(e)),
    };
    let amount = req.amount.ok_or_else(|| PkError::NotSent {
        message: "amount: a manual payment system needs the deposit's amount".into(),
    })?;
    acc.client
        .possible_transaction(&PossibleTransactionRequest {
            currency_code: req.currency_code.clone(),
            wallet_type: req.wallet_type.clone(),
            label: req.label.clone(),
            key1: req.key1.clone(),
            amount,
            screenshot: shot,
            custom_id: req.custom_transaction_id.clone(),
        })
        .await
}

fn not_sent(e: impl std::fmt::Display) -> PkError {
    PkError::NotSent {
        message: format!("the screenshot could not be read from the database: {e}"),
    }
}

/// The outbox outcome of a possible transaction: both answers mean
/// Paykassma has it; the postback settles it.
pub(crate) fn outcome(out: PossibleTransactionOutcome, key1: &str) -> OutboxOutcome {
    let status = match out {
        PossibleTransactionOutcome::Accepted => "possible transaction accepted".to_owned(),
        PossibleTransactionOutcome::PossibleTransactionCreated { message } => {
            format!("possible transaction: {message}")
        }
    };
    OutboxOutcome::Accepted {
        txn_id: key1.to_owned(),
        status,
    }
}
