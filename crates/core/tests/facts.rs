//! The provider's own figures shown before approving, with a warning where
//! they speak against it: a withdrawal above what the user may withdraw.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::{self, desk};
use cashdesk_domain::{ProviderKind, RequestKind};
use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_withdrawal_above_the_withdrawable_balance_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let sim = zexabit_sim(None).await;
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    let account = add_zexabit_account(&app, &sim);
    api::desk::list_methods(&app, account).await.unwrap();
    let user = zexabit_user(&sim).await;
    let mut req = intake_request(
        "facts-wd-1",
        RequestKind::Withdrawal,
        ProviderKind::Zexabit,
        Some(account),
        ("bkash", "500", "BDT"),
    );
    req.provider_user_id = Some(user);
    req.destination = Some("01712345678".into());
    let id = cashdesk_core::intake::submit(&app, &req).unwrap().0.id;

    let r = desk::request_reference(&app, id).await.unwrap();
    let withdrawable = r
        .facts
        .iter()
        .find(|f| f.label == "Withdrawable")
        .expect("Zexabit reports what the user may withdraw");
    // A new user has deposited nothing: nothing to withdraw.
    assert_eq!(withdrawable.value, "0.00 BDT");
    assert_eq!(
        withdrawable.warning.as_deref(),
        Some("This withdrawal (500.00 BDT) is more than the user may withdraw (0.00 BDT)")
    );
    let limits = r.facts.iter().find(|f| f.label == "Method limits").unwrap();
    assert_eq!(limits.warning, None, "500 BDT is within bKash's limits");

    // A deposit is not warned about what the user may withdraw.
    let deposit = zexabit_deposit(&app, &sim, account).await;
    let r = desk::request_reference(&app, deposit).await.unwrap();
    assert!(r.facts.iter().all(|f| f.warning.is_none()), "{:?}", r.facts);
}
