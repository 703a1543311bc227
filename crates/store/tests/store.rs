//! Store behaviour, one rule per test, on both engines (a real SQLite file, a
//! real PostgreSQL database): the conformance suite.

use cashdesk_domain::{AccountId, Actor, DraftId, ProviderKind, RequestKind, RequestStatus};
use cashdesk_store::*;

mod support;
use support::*;

/// A deposit approved, claimed and then timed out: outcome unknown.
fn unknown_outcome(s: &Store, acc: AccountId) -> RequestRecord {
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
        .unwrap();
    let row = s.claim_next(i64::MAX).unwrap().unwrap();
    s.record_outcome(
        row.id,
        &OutboxOutcome::Unknown {
            reason: "timeout".into(),
        },
    )
    .unwrap();
    r
}

fn the_same_intake_reference_is_one_request(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let (a, first) = s
        .insert_request(&deposit(acc, Some("op-1")), &Actor::Intake)
        .unwrap();
    let (b, second) = s
        .insert_request(&deposit(acc, Some("op-1")), &Actor::Intake)
        .unwrap();
    assert!(
        first && !second,
        "a repeated push must not create a second request"
    );
    assert_eq!(a.id, b.id);
    assert_eq!(
        a.money.amount.to_string(),
        "500.00",
        "amount stored exactly"
    );
}

fn approving_writes_the_decision_and_the_outbox_row_together(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    let rec = s
        .approve(
            r.id,
            &agent(),
            "zexabit.deposit",
            &serde_json::json!({"amount": 500}),
        )
        .unwrap();
    assert_eq!(rec.status, RequestStatus::Approved);
    let rows = s.outbox_for(r.id).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].merchant_ref, r.merchant_ref,
        "outbox carries the request's merchant reference"
    );
    assert!(
        s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
            .is_err(),
        "a second approval must be refused"
    );
    assert_eq!(
        s.outbox_for(r.id).unwrap().len(),
        1,
        "a refused approval must not add an outbox row"
    );
}

fn a_rejected_request_cannot_be_approved_and_sends_nothing(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    let rec = s
        .reject(r.id, &agent(), "TrxID not found in bKash statement")
        .unwrap();
    assert_eq!(rec.status, RequestStatus::Rejected);
    assert!(
        s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
            .is_err()
    );
    assert!(s.outbox_for(r.id).unwrap().is_empty());
    let h = s.history(r.id).unwrap();
    assert_eq!(
        h.last().unwrap().reason.as_deref(),
        Some("TrxID not found in bKash statement")
    );
    assert_eq!(h.last().unwrap().actor, agent(), "who rejected is recorded");
}

fn a_claimed_row_is_durably_sending_before_anything_goes_out(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
        .unwrap();
    let row = s.claim_next(i64::MAX).unwrap().expect("due row");
    assert_eq!(row.attempts, 1);
    assert_eq!(
        s.get_request(r.id).unwrap().status,
        RequestStatus::Submitting
    );
    assert!(
        s.claim_next(i64::MAX).unwrap().is_none(),
        "a row being sent is not claimed twice"
    );
    assert_eq!(
        s.in_flight().unwrap().len(),
        1,
        "after a crash this row shows as maybe-sent"
    );
}

fn outcomes_move_the_request_and_keep_the_providers_words(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let cases = [
        (
            OutboxOutcome::Accepted {
                txn_id: "dep_1".into(),
                status: "pending".into(),
            },
            RequestStatus::AwaitingProvider,
        ),
        (
            OutboxOutcome::Rejected {
                reason: "INSUFFICIENT_BALANCE — User balance (200 BDT) is less".into(),
            },
            RequestStatus::RejectedByProvider,
        ),
        (
            OutboxOutcome::Failed {
                reason: "UNAUTHORIZED — Missing or invalid API key".into(),
            },
            RequestStatus::Failed,
        ),
        (
            OutboxOutcome::Retry {
                at_ms: 0,
                reason: "RATE_LIMITED".into(),
            },
            RequestStatus::Approved,
        ),
        (
            OutboxOutcome::Unknown {
                reason: "timed out after sending".into(),
            },
            RequestStatus::OutcomeUnknown,
        ),
    ];
    for (outcome, expect) in cases {
        let (r, _) = s
            .insert_request(&deposit(acc, None), &Actor::Intake)
            .unwrap();
        s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
            .unwrap();
        let row = s.claim_next(i64::MAX).unwrap().unwrap();
        let rec = s.record_outcome(row.id, &outcome).unwrap();
        assert_eq!(rec.status, expect, "{outcome:?}");
        if let OutboxOutcome::Rejected { reason } | OutboxOutcome::Failed { reason } = &outcome {
            assert_eq!(
                rec.provider_reason.as_deref(),
                Some(reason.as_str()),
                "provider's reason shown as it came"
            );
        }
        if matches!(outcome, OutboxOutcome::Retry { .. }) {
            // the retried row goes out again with the same merchant reference
            let again = s.claim_next(i64::MAX).unwrap().unwrap();
            assert_eq!(again.id, row.id);
            assert_eq!(again.merchant_ref, row.merchant_ref);
            assert_eq!(again.attempts, 2);
            s.record_outcome(again.id, &OutboxOutcome::Failed { reason: "x".into() })
                .unwrap();
        }
    }
    assert!(
        s.claim_next(i64::MAX).unwrap().is_none(),
        "an unknown outcome is never picked up for resending"
    );
}

fn settling_an_unknown_outcome_closes_its_outbox_row(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let r = unknown_outcome(&s, acc);
    let rec = s
        .settle(
            r.id,
            RequestStatus::Completed,
            &Actor::Provider("zexabit".into()),
            "matched webhook dep_9",
            &ProviderFacts {
                txn_id: Some("dep_9".into()),
                status: Some("completed".into()),
                reason: None,
                settled: None,
            },
        )
        .unwrap();
    assert_eq!(rec.status, RequestStatus::Completed);
    assert_eq!(rec.provider_txn_id.as_deref(), Some("dep_9"));
    assert!(
        s.outbox_for(r.id)
            .unwrap()
            .iter()
            .all(|o| o.state == OutboxState::Done)
    );
}

fn queue_pages_are_keyset_ordered_and_complete(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let mut ids = Vec::new();
    for i in 0..25 {
        let mut d = deposit(acc, Some(&format!("r{i}")));
        if i % 2 == 1 {
            d.kind = RequestKind::Withdrawal;
        }
        ids.push(s.insert_request(&d, &Actor::Intake).unwrap().0.id);
    }
    let mut seen = Vec::new();
    let mut f = QueueFilter::view(QueueView::Queue);
    f.limit = 10;
    loop {
        let page = s.list_queue(&f).unwrap();
        seen.extend(page.items.iter().map(|r| r.id));
        match page.next {
            Some(c) => f.after = Some(Cursor::decode(&c.encode()).unwrap()),
            None => break,
        }
    }
    assert_eq!(seen, ids, "every request exactly once, oldest first");
    let mut f = QueueFilter::view(QueueView::Queue);
    f.kind = Some(RequestKind::Withdrawal);
    assert_eq!(s.list_queue(&f).unwrap().items.len(), 12);
    s.reject(ids[0], &agent(), "dup").unwrap();
    assert_eq!(
        s.list_queue(&QueueFilter::view(QueueView::Done))
            .unwrap()
            .items[0]
            .id,
        ids[0]
    );
    assert_eq!(s.count_view(QueueView::Queue, 1000).unwrap(), 24);
}

fn submitting_a_draft_makes_one_request_and_removes_the_draft(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let id = DraftId::new();
    s.save_draft(id, Some("Rina"), &serde_json::json!({"amount": "5"}))
        .unwrap();
    let d = s
        .save_draft(id, Some("Rina"), &serde_json::json!({"amount": "50"}))
        .unwrap();
    assert_eq!(d.fields["amount"], "50", "a later save replaces the fields");
    assert_eq!(s.list_drafts().unwrap().len(), 1);
    let rec = s.submit_draft(id, &deposit(acc, None), &agent()).unwrap();
    assert_eq!(rec.status, RequestStatus::Pending);
    assert!(s.list_drafts().unwrap().is_empty());
    assert!(
        s.submit_draft(id, &deposit(acc, None), &agent()).is_err(),
        "a draft is submitted once"
    );
}

fn webhook_events_are_deduplicated_per_account(on: Engine) {
    let (_d, s, acc) = store_on(on);
    assert!(
        s.record_inbound(acc, "deposit.completed:dep_1", b"{}")
            .unwrap()
    );
    assert!(
        !s.record_inbound(acc, "deposit.completed:dep_1", b"{}")
            .unwrap(),
        "a redelivery is recognised"
    );
    assert!(
        s.record_inbound(AccountId::new(), "deposit.completed:dep_1", b"{}")
            .unwrap()
    );
}

fn unknown_outcomes_are_matched_by_user_amount_and_method(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let r = unknown_outcome(&s, acc);
    let found = s
        .match_candidates(
            acc,
            RequestKind::Deposit,
            "68abc",
            &"500".parse().unwrap(),
            "bkash",
            &[RequestStatus::OutcomeUnknown],
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, r.id);
    let none = s
        .match_candidates(
            acc,
            RequestKind::Deposit,
            "68abc",
            &"501".parse().unwrap(),
            "bkash",
            &[RequestStatus::OutcomeUnknown],
        )
        .unwrap();
    assert!(none.is_empty());
}

fn a_finished_sandbox_session_leaves_no_open_requests_behind(on: Engine) {
    let (_place, s) = empty_on(on);
    let sandbox = AccountId::new();
    s.add_account(
        sandbox,
        &NewAccount {
            provider: ProviderKind::Zexabit,
            name: "sandbox".into(),
            base_url: "http://127.0.0.1:1".into(),
            secret_names: vec![],
            config: serde_json::json!({}),
            sandbox: true,
        },
        &Actor::System,
    )
    .unwrap();
    let (pending, _) = s
        .insert_request(&deposit(sandbox, None), &Actor::Intake)
        .unwrap();
    let (approved, _) = s
        .insert_request(&deposit(sandbox, None), &Actor::Intake)
        .unwrap();
    s.approve(
        approved.id,
        &agent(),
        "zexabit.deposit",
        &serde_json::json!({}),
    )
    .unwrap();
    assert_eq!(s.retire_sandbox_accounts().unwrap(), 2);
    assert_eq!(
        s.get_request(pending.id).unwrap().status,
        RequestStatus::Expired
    );
    assert_eq!(
        s.get_request(approved.id).unwrap().status,
        RequestStatus::Failed
    );
    assert!(
        s.claim_next(i64::MAX).unwrap().is_none(),
        "nothing is sent to a simulator that is gone"
    );
    assert!(s.accounts().unwrap().is_empty());
}

fn approving_a_failed_request_again_reuses_its_row_and_reference(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.approve(
        r.id,
        &agent(),
        "zexabit.deposit",
        &serde_json::json!({"n": 1}),
    )
    .unwrap();
    let first = s.claim_next(i64::MAX).unwrap().unwrap();
    // While the call is under way, approving again is refused.
    let busy = s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}));
    assert!(busy.is_err());
    let failed = s
        .record_outcome(
            first.id,
            &OutboxOutcome::Failed {
                reason: "NO_AGENT_AVAILABLE".into(),
            },
        )
        .unwrap();
    assert_eq!(failed.status, RequestStatus::Failed);
    let again = s
        .approve(
            r.id,
            &agent(),
            "zexabit.deposit",
            &serde_json::json!({"n": 2}),
        )
        .unwrap();
    assert_eq!(again.status, RequestStatus::Approved);
    let row = s.claim_next(i64::MAX).unwrap().unwrap();
    assert_eq!(row.id, first.id, "the same outbox row");
    assert_eq!(row.merchant_ref, first.merchant_ref, "the same reference");
    assert_eq!(row.payload, serde_json::json!({"n": 2}));
    assert!(
        s.claim_next(i64::MAX).unwrap().is_none(),
        "one row, not two"
    );
}

fn provider_events_are_remembered_for_redelivery_then_pruned_unless_unmatched(on: Engine) {
    let (_d, s, acc) = store_on(on);
    assert!(
        s.record_inbound(acc, "deposit.completed:dep_1", b"{}")
            .unwrap()
    );
    assert!(
        s.record_inbound(acc, "deposit.completed:dep_2", b"{}")
            .unwrap()
    );
    s.mark_inbound_unmatched(acc, "deposit.completed:dep_2")
        .unwrap();
    assert!(
        !s.record_inbound(acc, "deposit.completed:dep_1", b"{}")
            .unwrap(),
        "a redelivery is recognised"
    );
    // Nothing is older than three days yet: pruning at that age keeps all.
    let three_days_ago = chrono::Utc::now() - chrono::Duration::days(3);
    assert_eq!(s.prune_inbound(three_days_ago).unwrap(), 0);
    // Pruning everything handled keeps the unmatched candidate.
    let later = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(s.prune_inbound(later).unwrap(), 1);
    let left = s
        .unmatched_inbound(acc, chrono::Utc::now() - chrono::Duration::days(1), 10)
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].dedup_key, "deposit.completed:dep_2");
}

fn rows_of_a_held_account_wait_and_do_not_make_the_worker_spin(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let (r, _) = s
        .insert_request(&deposit(acc, None), &Actor::Intake)
        .unwrap();
    s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
        .unwrap();
    assert!(s.claim_next_except(i64::MAX, &[acc]).unwrap().is_none());
    assert_eq!(s.next_due_ms_except(&[acc]).unwrap(), None);
    assert!(s.next_due_ms().unwrap().is_some());
    let row = s.claim_next_except(i64::MAX, &[]).unwrap().unwrap();
    assert_eq!(row.request_id, r.id);
}

fn an_account_with_unfinished_work_cannot_be_removed_and_a_removed_one_takes_nothing(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let admin = Actor::operator(
        cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)),
        "Admin",
    );
    let (r, _) = s
        .insert_request(&deposit(acc, Some("open-1")), &Actor::Intake)
        .unwrap();
    let err = s.remove_account(acc, &admin).unwrap_err();
    assert!(err.to_string().contains("1 unfinished request"), "{err}");
    // An approved call waiting in the outbox also holds it.
    s.approve(r.id, &agent(), "zexabit.deposit", &serde_json::json!({}))
        .unwrap();
    assert!(s.remove_account(acc, &admin).is_err());
    let row = s.claim_next(i64::MAX).unwrap().unwrap();
    s.record_outcome(
        row.id,
        &OutboxOutcome::Completed {
            status: "completed".into(),
        },
    )
    .unwrap();
    s.remove_account(acc, &admin).unwrap();
    // Nothing new is filed on it, by any path.
    let err = s
        .insert_request(&deposit(acc, Some("after-removal")), &Actor::Intake)
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("removed"), "{err}");
    assert!(s.active_account(acc).is_err());
    assert!(s.account(acc).is_ok(), "kept for history");
}

conformance!(
    a_finished_sandbox_session_leaves_no_open_requests_behind,
    the_same_intake_reference_is_one_request,
    approving_writes_the_decision_and_the_outbox_row_together,
    a_rejected_request_cannot_be_approved_and_sends_nothing,
    a_claimed_row_is_durably_sending_before_anything_goes_out,
    outcomes_move_the_request_and_keep_the_providers_words,
    settling_an_unknown_outcome_closes_its_outbox_row,
    queue_pages_are_keyset_ordered_and_complete,
    submitting_a_draft_makes_one_request_and_removes_the_draft,
    webhook_events_are_deduplicated_per_account,
    unknown_outcomes_are_matched_by_user_amount_and_method,
    approving_a_failed_request_again_reuses_its_row_and_reference,
    provider_events_are_remembered_for_redelivery_then_pruned_unless_unmatched,
    rows_of_a_held_account_wait_and_do_not_make_the_worker_spin,
    an_account_with_unfinished_work_cannot_be_removed_and_a_removed_one_takes_nothing,
);
