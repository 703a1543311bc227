//! What the supervisor's desk reads: decisions recorded in the deciding
//! transaction, the queue's depth, completed money and shifts on both
//! engines (the conformance suite); the migration's backfill of decisions
//! from history and SQL-computed figures against a real SQLite file.

use cashdesk_domain::{Actor, RequestKind, RequestStatus, Role};
use cashdesk_store::*;
use rust_decimal::Decimal;

mod support;
use support::desk::*;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Takes an approved request through to *completed* on the provider's word.
fn complete(d: &Desk, r: &RequestRecord) {
    let p = Actor::Provider("zexabit".into());
    for to in [
        RequestStatus::Submitting,
        RequestStatus::AwaitingProvider,
        RequestStatus::Completed,
    ] {
        d.s.transition(r.id, to, &p, None, &ProviderFacts::default())
            .unwrap();
    }
}

fn each_decision_is_recorded_with_its_person_action_and_times(on: Engine) {
    let d = desk_on(on);
    d.rule(RuleScope::Request, "10000");
    let rina = d.person("Rina", &[Role::Agent]);
    let sami = d.person("Sami", &[Role::Supervisor]);
    let rina_id = rina.operator_ref().unwrap().clone();
    let w1 = d.withdrawal("500", "u1", &Actor::Intake, Source::Intake);
    let w2 = d.withdrawal("700", "u2", &Actor::Intake, Source::Intake);
    let w3 = d.withdrawal("20000", "u3", &Actor::Intake, Source::Intake);
    let before = now_ms();

    d.s.claim(w1.id, &rina_id, 60_000).unwrap();
    d.approve(&w1, &rina).unwrap();
    d.s.reject(w2.id, &rina, "Wrong wallet").unwrap();
    d.approve(&w3, &rina).unwrap();
    d.approve(&w3, &sami).unwrap();
    // The provider's word is not a person's decision.
    complete(&d, &w1);

    let mine =
        d.s.decisions_of(
            rina_id.id,
            &DecisionFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    let actions: Vec<Action> = mine.iter().map(|x| x.action).collect();
    assert_eq!(
        actions,
        vec![Action::FirstApproval, Action::Reject, Action::Approve]
    );
    assert!(mine[2].handled_ms.is_some(), "decided from a claim: timed");
    assert_eq!(mine[1].handled_ms, None, "no claim: not timed");
    assert_eq!(mine[1].reason.as_deref(), Some("Wrong wallet"));
    assert_eq!(mine[0].amount, dec("20000"));

    let rejects =
        d.s.decisions_of(
            rina_id.id,
            &DecisionFilter {
                action: Some(Action::Reject),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(rejects.len(), 1);

    let (counts, _) = d.s.decision_figures(before, now_ms() + 1).unwrap();
    assert_eq!(
        counts.iter().map(|c| c.decided).sum::<u64>(),
        4,
        "three by Rina, the second approval by Sami"
    );
    let sami_id = sami.operator_ref().unwrap().id;
    let by_sami =
        d.s.decisions_of(
            sami_id,
            &DecisionFilter {
                limit: 5,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(by_sami.len(), 1);
    assert_eq!(by_sami[0].action, Action::SecondApproval);

    // Rina's running total: what she approved (first approvals count,
    // rejections do not), each request once.
    assert_eq!(
        d.s.approved_since(rina_id.id, day_start_ms()).unwrap(),
        vec![("BDT".to_owned(), dec("20500"))]
    );
}

fn completed_money_is_a_range_on_when_requests_became_final(on: Engine) {
    let d = desk_on(on);
    let rina = d.person("Rina", &[Role::Agent]);
    let w1 = d.withdrawal("500.25", "u1", &Actor::Intake, Source::Intake);
    let w2 = d.withdrawal("700", "u2", &Actor::Intake, Source::Intake);
    let t0 = now_ms();
    d.approve(&w1, &rina).unwrap();
    complete(&d, &w1);
    d.s.reject(w2.id, &rina, "no").unwrap();
    let done = d.s.completed_between(t0, now_ms() + 1).unwrap();
    assert_eq!(done.len(), 1, "rejected money did not move: {done:?}");
    assert_eq!(done[0].amount, dec("500.25"));
    assert_eq!(done[0].kind, RequestKind::Withdrawal);
    assert!(
        d.s.completed_between(now_ms() + 1, now_ms() + 2)
            .unwrap()
            .is_empty()
    );
}

fn depth_is_counted_now_and_sampled_once_per_bucket(on: Engine) {
    let d = desk_on(on);
    for u in ["u1", "u2", "u3"] {
        d.withdrawal("100", u, &Actor::Intake, Source::Intake);
    }
    let now = d.s.depth_now().unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!((now[0].kind.as_str(), now[0].pending), ("withdrawal", 3));
    assert_eq!(d.s.pending_before(now_ms() + 1).unwrap(), 3);
    assert_eq!(d.s.pending_before(0).unwrap(), 0);

    assert!(
        !d.s.repeat_depth(300_000).unwrap(),
        "nothing earlier to repeat"
    );
    assert!(d.s.depth_moved_since_sample().unwrap(), "never sampled");
    assert!(d.s.sample_depth(300_000).unwrap());
    d.withdrawal("100", "u4", &Actor::Intake, Source::Intake);
    // Another server sampling the same bucket changes nothing, and counts nothing.
    assert!(!d.s.sample_depth(300_000).unwrap());
    assert!(d.s.sample_depth(600_000).unwrap());
    // Nothing changed since: the last sample again, without a count.
    assert!(d.s.repeat_depth(900_000).unwrap());
    assert!(!d.s.repeat_depth(900_000).unwrap(), "once per bucket");
    let points: Vec<(i64, String, u64)> =
        d.s.depth_over_time(0)
            .unwrap()
            .into_iter()
            .map(|p| (p.at_ms, p.provider, p.pending))
            .collect();
    assert_eq!(
        points,
        vec![
            (300_000, "*".into(), 3),
            (300_000, "zexabit".into(), 3),
            (600_000, "*".into(), 4),
            (600_000, "zexabit".into(), 4),
            (900_000, "*".into(), 4),
            (900_000, "zexabit".into(), 4),
        ]
    );
    d.s.forget_depth_before(600_000).unwrap();
    assert_eq!(d.s.depth_over_time(0).unwrap().len(), 4);

    // At start: did anything arrive or move since the latest sample's
    // bucket began? Not since a bucket begun after every change so far.
    std::thread::sleep(std::time::Duration::from_millis(2));
    let bucket = now_ms();
    assert!(d.s.sample_depth(bucket).unwrap());
    assert!(
        !d.s.depth_moved_since_sample().unwrap(),
        "nothing moved since"
    );
    let w = d.withdrawal("100", "u5", &Actor::Intake, Source::Intake);
    assert!(
        d.s.depth_moved_since_sample().unwrap(),
        "an arrival moved it"
    );
    std::thread::sleep(std::time::Duration::from_millis(2));
    let bucket = now_ms();
    assert!(d.s.sample_depth(bucket).unwrap());
    assert!(!d.s.depth_moved_since_sample().unwrap());
    let rina = d.person("Rina", &[Role::Agent]);
    d.s.reject(w.id, &rina, "no").unwrap();
    assert!(
        d.s.depth_moved_since_sample().unwrap(),
        "a decision moved it"
    );
}

fn line(d: &Desk, amount: &str, source: BalanceSource) -> BalanceLine {
    BalanceLine {
        account_id: d.acc,
        wallet: String::new(),
        currency: "BDT".into(),
        amount: dec(amount),
        source,
    }
}

fn a_close_opens_the_next_shift_with_its_closing_balances_audited(on: Engine) {
    let d = desk_on(on);
    let rina = d.person("Rina", &[Role::Agent]);
    let sami = d.person("Sami", &[Role::Supervisor]);
    assert!(matches!(
        d.s.open_shift(&[line(&d, "1000", BalanceSource::Hand)], &rina),
        Err(StoreError::NotAllowed(_))
    ));
    let first =
        d.s.open_shift(&[line(&d, "1000", BalanceSource::Hand)], &sami)
            .unwrap();
    assert!(matches!(
        d.s.open_shift(&[], &sami),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(d.s.current_shift().unwrap().unwrap().id, first.id);

    let report = serde_json::json!({ "lines": 1 });
    let closing = [line(&d, "1490", BalanceSource::Hand)];
    assert!(matches!(
        d.s.close_shift(first.id, now_ms(), &closing, &report, &rina),
        Err(StoreError::NotAllowed(_))
    ));
    let (closed, next) =
        d.s.close_shift(first.id, now_ms(), &closing, &report, &sami)
            .unwrap();
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.report, Some(report.clone()));
    assert_eq!(d.s.current_shift().unwrap().unwrap().id, next.id);
    assert_eq!(
        d.s.shift_balances(next.id, false).unwrap(),
        vec![line(&d, "1490", BalanceSource::Carried)]
    );
    assert_eq!(
        d.s.shift_balances(first.id, true).unwrap(),
        closing.to_vec()
    );
    // Closed once: a second signature of the same shift is refused.
    assert!(matches!(
        d.s.close_shift(first.id, now_ms(), &closing, &report, &sami),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(d.s.closed_shifts(10).unwrap().len(), 1);
    for action in ["shift.open", "shift.close"] {
        let entries =
            d.s.audit_page(&AuditFilter {
                action: Some(action.into()),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(entries.len(), 1, "{action} audited");
    }
}

#[test]
fn the_migration_backfills_decisions_from_history() {
    let d = desk();
    let rina = d.person("Rina", &[Role::Agent]);
    let w1 = d.withdrawal("500", "u1", &Actor::Intake, Source::Intake);
    let w2 = d.withdrawal("700", "u2", &Actor::Intake, Source::Intake);
    d.approve(&w1, &rina).unwrap();
    complete(&d, &w1);
    d.s.reject(w2.id, &rina, "Wrong wallet").unwrap();
    let path = d._place.path().join("cashdesk.db");
    let rina_id = rina.operator_ref().unwrap().id;
    let all = DecisionFilter {
        limit: 10,
        ..Default::default()
    };
    let strip = |v: Vec<Decision>| -> Vec<(Action, Option<String>, Decimal)> {
        v.into_iter()
            .map(|x| (x.action, x.reason, x.amount))
            .collect()
    };
    let recorded = strip(d.s.decisions_of(rina_id, &all).unwrap());
    assert_eq!(recorded.len(), 2);
    let Desk { _place: dir, s, .. } = d;
    drop(s);
    // Back to schema 8, as a desk from before this migration (and 10-17) was.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "DROP TABLE team_sessions; DROP TABLE desk_servers; ALTER TABLE outbox DROP COLUMN owner;
         DROP TRIGGER requests_filter_choices; DROP TABLE filter_choices;
         DROP TABLE breach_notices;
         DROP TRIGGER attachments_bands_insert; DROP TRIGGER attachments_bands_delete;
         DROP TABLE screenshot_bands; DROP INDEX attachments_sha256;
         ALTER TABLE attachments DROP COLUMN phash;
         DROP TRIGGER requests_due_insert; DROP TRIGGER requests_due_deadline;
         DROP TRIGGER settings_sla_insert; DROP TRIGGER settings_sla_update;
         DROP TRIGGER settings_sla_delete; DROP TABLE method_sla;
         DROP VIEW desk_sla_ms; DROP INDEX requests_view_due;
         DROP INDEX requests_entered_by; DROP INDEX requests_first_approver; DROP INDEX claims_operator;
         ALTER TABLE requests DROP COLUMN due_ms;
         DROP TRIGGER requests_search_insert; DROP TRIGGER requests_search_update;
         DROP VIEW request_terms; DROP TABLE request_search; DROP INDEX requests_view_amount;
         DROP INDEX requests_end_user;
         ALTER TABLE requests DROP COLUMN amount_key;
         DROP TABLE decisions; DROP TABLE depth_samples; DROP TABLE shift_balances;
         DROP TABLE shifts; DROP INDEX requests_final; DROP INDEX requests_pending_depth;
         DROP INDEX requests_pending_age; ALTER TABLE requests DROP COLUMN final_ms;
         PRAGMA user_version = 8;",
    )
    .unwrap();
    drop(c);
    let s = Store::open(&path).unwrap();
    assert_eq!(strip(s.decisions_of(rina_id, &all).unwrap()), recorded);
    assert_eq!(
        s.completed_between(0, now_ms() + 1).unwrap().len(),
        1,
        "final times backfilled"
    );
    let mut f = QueueFilter::view(QueueView::Done);
    f.search = Some(w2.merchant_ref.0[22..35].to_owned());
    assert_eq!(
        s.count_filtered(&f, 10).unwrap(),
        1,
        "search index backfilled"
    );
    drop(dir);
}

/// A planted decision: who, action, when, time to decide, reason.
type Planted<'a> = (&'a str, &'a str, i64, Option<i64>, Option<&'a str>);

/// Plants decisions with known times straight into the file.
fn plant(path: &std::path::Path, rows: &[Planted<'_>]) {
    let c = rusqlite::Connection::open(path).unwrap();
    // Decisions without their requests: only the figures are under test.
    c.pragma_update(None, "foreign_keys", "OFF").unwrap();
    for (i, (who, action, at, handled, reason)) in rows.iter().enumerate() {
        c.execute(
            "INSERT INTO decisions (request_id, operator_id, operator_name, action, to_status,
                provider, account_id, kind, method, amount, currency, reason, waited_ms,
                handled_ms, decided_ms)
             VALUES (?1, ?2, ?2, ?3, 'x', 'zexabit', 'a', 'deposit', 'bkash', '1', 'BDT', ?4, 0, ?5, ?6)",
            rusqlite::params![format!("r{i}"), who, action, reason, handled, at],
        )
        .unwrap();
    }
}

#[test]
fn counts_percentiles_and_reasons_are_computed_by_sqlite_as_counted_by_hand() {
    let d = desk();
    let h = 3_600_000;
    let path = d._place.path().join("cashdesk.db");
    let mut rows = Vec::new();
    // Asha: ten decisions timed 10..100 s in hour 0, one untimed reject in hour 2.
    for i in 1..=10 {
        rows.push(("asha", "approve", h * 100 + i, Some(i * 10_000), None));
    }
    rows.push(("asha", "reject", h * 102, None, Some("Wrong wallet")));
    // Bilal: three timed 20, 40, 400 s; two rejects.
    rows.push((
        "bilal",
        "reject",
        h * 100 + 5,
        Some(400_000),
        Some(" Wrong wallet "),
    ));
    rows.push(("bilal", "reject", h * 101, Some(20_000), Some("")));
    rows.push(("bilal", "approve", h * 102 + 9, Some(40_000), None));
    // Outside the range.
    rows.push(("bilal", "reject", h * 103, Some(1), Some("late")));
    plant(&path, &rows);

    let (since, until) = (h * 100, h * 103);
    let counts: Vec<(i64, String, u64)> =
        d.s.decision_figures(since, until)
            .unwrap()
            .0
            .into_iter()
            .map(|c| ((c.hour_ms - since) / h, c.operator_id, c.decided))
            .collect();
    assert_eq!(
        counts,
        vec![
            (0, "asha".into(), 10),
            (0, "bilal".into(), 1),
            (1, "bilal".into(), 1),
            (2, "asha".into(), 1),
            (2, "bilal".into(), 1),
        ]
    );
    let times = d.s.decision_figures(since, until).unwrap().1;
    let asha = &times[0];
    // Nearest rank of 10..100 s: the 5th (50 s) and the 9th (90 s).
    assert_eq!((asha.decided, asha.rejected, asha.timed), (11, 1, 10));
    assert_eq!((asha.median_ms, asha.p90_ms), (Some(50_000), Some(90_000)));
    // 20, 40, 400 s: ranks 2 and 3.
    let bilal = &times[1];
    assert_eq!((bilal.decided, bilal.rejected, bilal.timed), (3, 2, 3));
    assert_eq!(
        (bilal.median_ms, bilal.p90_ms),
        (Some(40_000), Some(400_000))
    );
    assert_eq!(
        d.s.rejection_reasons(since, until).unwrap(),
        vec![("Wrong wallet".into(), 2), ("(no reason)".into(), 1)]
    );
}

conformance!(
    each_decision_is_recorded_with_its_person_action_and_times,
    completed_money_is_a_range_on_when_requests_became_final,
    depth_is_counted_now_and_sampled_once_per_bucket,
    a_close_opens_the_next_shift_with_its_closing_balances_audited,
);
