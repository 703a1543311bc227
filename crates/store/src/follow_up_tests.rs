use crate::{NewAccount, NewRequest, OutboxOutcome, Source, Store};
use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestKind, RequestStatus};

fn setup() -> (tempfile::TempDir, Store, AccountId) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("c.db")).unwrap();
    let acc = AccountId::new();
    s.add_account(
        acc,
        &NewAccount {
            provider: ProviderKind::Cashweb,
            name: "CashWeb".into(),
            base_url: "http://127.0.0.1:1".into(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: false,
        },
        &Actor::System,
    )
    .unwrap();
    (dir, s, acc)
}

fn feed_request(s: &Store, acc: AccountId, txn: &str) -> (crate::RequestRecord, bool) {
    let new = NewRequest {
        kind: RequestKind::Deposit,
        provider: ProviderKind::Cashweb,
        account_id: acc,
        method: "usdt_trc20".into(),
        money: Money::parse("100", "USDT").unwrap(),
        end_user_ref: "order-1".into(),
        end_user_name: None,
        provider_user_id: None,
        trx_id: None,
        sender: None,
        destination: None,
        agent_number: None,
        source: Source::Provider,
        intake_ref: Some(txn.into()),
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    };
    s.insert_from_feed(&new, &Actor::System, txn).unwrap()
}

#[test]
fn a_feed_transaction_is_one_request_with_its_provider_id() {
    let (_d, s, acc) = setup();
    let (a, created) = feed_request(&s, acc, "tx-1");
    assert!(created);
    assert_eq!(a.provider_txn_id.as_deref(), Some("tx-1"));
    let (b, again) = feed_request(&s, acc, "tx-1");
    assert!(!again);
    assert_eq!(a.id, b.id);
    assert_eq!(
        s.find_by_provider_txn(acc, "tx-1").unwrap().unwrap().id,
        a.id
    );
}

#[test]
fn a_rejection_and_its_follow_up_commit_together_and_claiming_leaves_the_request_rejected() {
    let (_d, s, acc) = setup();
    let (r, _) = feed_request(&s, acc, "tx-2");
    let actor = Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "Rina",
    );
    let payload = serde_json::json!({"id": "tx-2"});
    let rec = s
        .reject_with_follow_up(r.id, &actor, "wrong user", "cashweb.cancel", &payload)
        .unwrap();
    assert_eq!(rec.status, RequestStatus::Rejected);
    let rows = s.outbox_for(r.id).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].follow_up);
    let claimed = s.claim_next(i64::MAX).unwrap().unwrap();
    assert!(claimed.follow_up);
    assert_eq!(s.get_request(r.id).unwrap().status, RequestStatus::Rejected);
    let rec = s
        .record_outcome(
            claimed.id,
            &OutboxOutcome::Accepted {
                txn_id: "tx-2".into(),
                status: "cancelled".into(),
            },
        )
        .unwrap();
    assert_eq!(rec.status, RequestStatus::Rejected);
    let audit = s.audit_entries(50).unwrap();
    assert!(
        audit.iter().any(|e| e.action == "outbox.cashweb.cancel"),
        "{audit:?}"
    );
    assert_eq!(s.verify_audit().unwrap() as usize, audit.len());
}

#[test]
fn a_refused_follow_up_sends_the_request_to_a_person_with_the_providers_message() {
    let (_d, s, acc) = setup();
    let (r, _) = feed_request(&s, acc, "tx-3");
    let actor = Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "Rina",
    );
    s.reject_with_follow_up(
        r.id,
        &actor,
        "late",
        "cashweb.cancel",
        &serde_json::json!({}),
    )
    .unwrap();
    let row = s.claim_next(i64::MAX).unwrap().unwrap();
    let retry = OutboxOutcome::Retry {
        at_ms: 0,
        reason: "connection dropped".into(),
    };
    assert_eq!(
        s.record_outcome(row.id, &retry).unwrap().status,
        RequestStatus::Rejected
    );
    let row = s.claim_next(i64::MAX).unwrap().unwrap();
    assert_eq!(row.attempts, 2);
    let refused = OutboxOutcome::Rejected {
        reason: "transaction tx-3 is confirmed and cannot be cancelled".into(),
    };
    let rec = s.record_outcome(row.id, &refused).unwrap();
    assert_eq!(
        rec.status,
        RequestStatus::Failed,
        "the rejection could not be carried out: a person decides again"
    );
    assert_eq!(
        rec.provider_reason.as_deref(),
        Some("transaction tx-3 is confirmed and cannot be cancelled")
    );
    assert!(
        s.claim_next(i64::MAX).unwrap().is_none(),
        "a refusal is not resent"
    );
    assert_eq!(
        s.history(r.id).unwrap().len(),
        3,
        "created, rejected, and failed on the provider's refusal"
    );
}

#[test]
fn a_rejection_that_breaks_the_lifecycle_writes_no_follow_up() {
    let (_d, s, acc) = setup();
    let (r, _) = feed_request(&s, acc, "tx-4");
    let actor = Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "Rina",
    );
    s.reject_with_follow_up(r.id, &actor, "x", "cashweb.cancel", &serde_json::json!({}))
        .unwrap();
    assert!(
        s.reject_with_follow_up(r.id, &actor, "x", "cashweb.cancel", &serde_json::json!({}))
            .is_err()
    );
    assert_eq!(s.outbox_for(r.id).unwrap().len(), 1);
}
