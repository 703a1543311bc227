//! Several servers on one database: each marks the rows it sends as its
//! own, and another takes over only what a stopped server left `sending`
//! (on both engines: the conformance suite).

use cashdesk_domain::Actor;
use cashdesk_store::*;

mod support;
use support::*;

fn sending(s: &Store, acc: cashdesk_domain::AccountId, n: u32) -> Vec<OutboxRow> {
    (0..n)
        .map(|i| {
            let mut req = deposit(acc, Some(&format!("srv-{i}")));
            req.end_user_ref = format!("usr_{i}");
            let (r, _) = s.insert_request(&req, &Actor::Intake).unwrap();
            s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
                .unwrap();
            s.claim_next(i64::MAX).unwrap().expect("a due row")
        })
        .collect()
}

fn ids(rows: &[OutboxRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

fn a_stopped_servers_calls_are_taken_over_and_a_running_ones_never(on: Engine) {
    let (place, a, acc) = store_on(on);
    a.register_server("server-a", "host-a").unwrap();
    let mine = sending(&a, acc, 2);
    let b = place.reopen();
    b.register_server("server-b", "host-b").unwrap();
    // A is beating: its calls are its own, whoever asks.
    assert!(b.orphaned_in_flight(90_000).unwrap().is_empty());
    assert!(
        a.orphaned_in_flight(90_000).unwrap().is_empty(),
        "never its own"
    );
    // A goes silent for longer than any call lasts: B takes them over.
    place.execute("UPDATE desk_servers SET beat_ms = 0 WHERE id = 'server-a'");
    assert_eq!(ids(&b.orphaned_in_flight(90_000).unwrap()), ids(&mine));
    // A beats again (it was only slow): its rows are its own again.
    a.beat().unwrap();
    assert!(b.orphaned_in_flight(90_000).unwrap().is_empty());
    // A desk alone after a restart (its folder lock proves the last run
    // gone): every other server's rows, at once.
    assert_eq!(ids(&b.orphaned_in_flight(0).unwrap()), ids(&mine));
    // A server that stopped cleanly is no one to wait for.
    a.unregister_server().unwrap();
    assert_eq!(ids(&b.orphaned_in_flight(90_000).unwrap()), ids(&mine));
}

fn rows_claimed_before_any_server_registered_are_anyones(on: Engine) {
    let (_place, s, acc) = store_on(on);
    let old = sending(&s, acc, 1);
    s.register_server("server-new", "host").unwrap();
    assert_eq!(ids(&s.orphaned_in_flight(90_000).unwrap()), ids(&old));
}

fn a_slow_servers_late_answer_does_not_overwrite_the_new_owners(on: Engine) {
    let (place, a, acc) = store_on(on);
    a.register_server("server-a", "host-a").unwrap();
    let row = sending(&a, acc, 1).remove(0);
    let b = place.reopen();
    b.register_server("server-b", "host-b").unwrap();
    // B took the row over and is sending it again.
    place.execute(&format!(
        "UPDATE outbox SET owner = 'server-b' WHERE id = {}",
        row.id
    ));
    let late = OutboxOutcome::Failed {
        reason: "A's late answer".into(),
    };
    let after = a.record_outcome(row.id, &late).unwrap();
    assert_eq!(
        after.status,
        cashdesk_domain::RequestStatus::Submitting,
        "A's answer is not the row's"
    );
    let accepted = OutboxOutcome::Accepted {
        txn_id: "T-1".into(),
        status: "created".into(),
    };
    let after = b.record_outcome(row.id, &accepted).unwrap();
    assert_eq!(
        after.status,
        cashdesk_domain::RequestStatus::AwaitingProvider
    );
}

fn a_stopped_servers_row_is_adopted_by_one_server_then_recorded(on: Engine) {
    let (place, a, acc) = store_on(on);
    a.register_server("server-a", "host-a").unwrap();
    let row = sending(&a, acc, 1).remove(0);
    let b = place.reopen();
    b.register_server("server-b", "host-b").unwrap();
    let c = place.reopen();
    c.register_server("server-c", "host-c").unwrap();
    assert!(!b.adopt_in_flight(row.id, 90_000).unwrap(), "A is beating");
    place.execute("UPDATE desk_servers SET beat_ms = 0 WHERE id = 'server-a'");
    assert!(b.adopt_in_flight(row.id, 90_000).unwrap());
    assert!(!c.adopt_in_flight(row.id, 90_000).unwrap(), "adopted once");
    let unknown = OutboxOutcome::Unknown {
        reason: "taken over".into(),
    };
    let after = b.record_outcome(row.id, &unknown).unwrap();
    assert_eq!(after.status, cashdesk_domain::RequestStatus::OutcomeUnknown);
}

conformance!(
    a_stopped_servers_row_is_adopted_by_one_server_then_recorded,
    a_slow_servers_late_answer_does_not_overwrite_the_new_owners,
    a_stopped_servers_calls_are_taken_over_and_a_running_ones_never,
    rows_claimed_before_any_server_registered_are_anyones,
);
