//! The store tells its listener, after each commit, which requests the
//! commit changed — whichever method wrote them — and nothing for a
//! write that failed and rolled back.

use cashdesk_domain::{AccountId, Actor, Money, ProviderKind, RequestId, RequestKind};
use cashdesk_store::*;
use std::sync::{Arc, Mutex};

mod support;

fn deposit(account: AccountId, user: &str) -> NewRequest {
    NewRequest {
        kind: RequestKind::Deposit,
        provider: ProviderKind::Zexabit,
        account_id: account,
        method: "bkash".into(),
        money: Money::parse("500", "BDT").unwrap(),
        end_user_ref: user.into(),
        end_user_name: None,
        provider_user_id: Some("68abc".into()),
        trx_id: Some("TRX8B7K9M2".into()),
        sender: None,
        destination: None,
        agent_number: Some("01712345678".into()),
        source: Source::Intake,
        intake_ref: None,
        details: serde_json::json!({}),
        screenshot: None,
        expires: None,
    }
}

fn each_commit_announces_the_requests_it_changed_and_a_failed_write_nothing(on: Engine) {
    let (_place, s) = support::empty_on(on);
    let heard: Arc<Mutex<Vec<Vec<RequestId>>>> = Arc::default();
    let ear = heard.clone();
    s.on_change(move |ids| ear.lock().unwrap().push(ids.to_vec()));
    // SQLite tells before the write returns; PostgreSQL's notices arrive
    // a moment after the commit, and may come several to a call: what
    // was heard is compared once it holds as many ids as expected, and
    // "nothing" is checked by the next announced write (a barrier).
    let take = |want: usize| -> Vec<RequestId> {
        let start = std::time::Instant::now();
        loop {
            let n: usize = heard.lock().unwrap().iter().map(Vec::len).sum();
            if n >= want || start.elapsed() > std::time::Duration::from_secs(5) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        std::mem::take(&mut *heard.lock().unwrap())
            .into_iter()
            .flatten()
            .collect()
    };

    let account = AccountId::new();
    let new_account = NewAccount {
        provider: ProviderKind::Zexabit,
        name: "Zexabit BD".into(),
        base_url: "http://127.0.0.1:1".into(),
        secret_names: vec![],
        config: serde_json::json!({}),
        sandbox: false,
    };
    let rina = Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "Rina",
    );
    s.add_account(account, &new_account, &rina).unwrap();

    let (a, _) = s
        .insert_request(&deposit(account, "usr_a"), &Actor::Intake)
        .unwrap();
    let (b, _) = s
        .insert_request(&deposit(account, "usr_b"), &Actor::Intake)
        .unwrap();
    assert_eq!(take(2), vec![a.id, b.id], "no account change, each insert");

    s.approve(a.id, &rina, "zexabit.deposit", &serde_json::json!({}))
        .unwrap();
    assert_eq!(take(1), vec![a.id], "one commit, told once");
    let row = s.claim_next(i64::MAX).unwrap().unwrap();
    assert_eq!(take(1), vec![a.id]);
    s.record_lookup(b.id, "status by id", "not found").unwrap();
    assert_eq!(take(1), vec![b.id], "a lookup changes what b shows");

    // Refused by the state machine: rolled back, nothing announced.
    assert!(s.reject(a.id, &rina, "too late").is_err());
    s.record_outcome(
        row.id,
        &OutboxOutcome::Accepted {
            txn_id: "dep_1".into(),
            status: "pending".into(),
        },
    )
    .unwrap();
    assert_eq!(take(1), vec![a.id], "the refused reject told nothing");
}

conformance!(each_commit_announces_the_requests_it_changed_and_a_failed_write_nothing);
