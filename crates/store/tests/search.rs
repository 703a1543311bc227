//! Finding a request in the queue: any identifier by a piece of it, every
//! filter combined, each sort paged to the last row.

use cashdesk_domain::{Actor, Money, RequestKind, RequestStatus};
use cashdesk_store::*;

mod support;
use support::*;

fn ids(s: &Store, f: &QueueFilter) -> Vec<cashdesk_domain::RequestId> {
    s.list_queue(f)
        .unwrap()
        .items
        .iter()
        .map(|r| r.id)
        .collect()
}

fn searching(text: &str) -> QueueFilter {
    let mut f = QueueFilter::view(QueueView::Queue);
    f.search = Some(text.into());
    f
}

fn any_piece_of_any_identifier_finds_the_request_and_nothing_else(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let mut a = deposit(acc, Some("shop-ord-77123"));
    a.trx_id = Some("8N7A6D5C4B".into());
    a.sender = Some("01811112222".into());
    a.details = serde_json::json!({"utr": "UTR998877", "n": 5});
    let a = s.insert_request(&a, &Actor::Intake).unwrap().0;
    let mut b = deposit(acc, Some("other-ref"));
    b.trx_id = Some("ZZQQ1234".into());
    b.sender = Some("01999990000".into());
    b.end_user_ref = "usr_other".into();
    b.end_user_name = Some("Nadia".into());
    let b = s.insert_request(&b, &Actor::Intake).unwrap().0;

    for piece in [
        "8N7A", "n7a6d", "1111222", "77123", "UTR9988", "Karim", "usr_1",
    ] {
        assert_eq!(ids(&s, &searching(piece)), vec![a.id], "{piece}");
    }
    // our merchant reference, typed in part
    let ours = &b.merchant_ref.0[22..33];
    assert_eq!(ids(&s, &searching(ours)), vec![b.id]);
    assert!(ids(&s, &searching("no-such-thing")).is_empty());
    // query syntax typed by an agent is text, not a query
    assert!(ids(&s, &searching("8N7A OR ZZQQ")).is_empty());
    assert!(ids(&s, &searching("\"8N7A")).is_empty());
    // two characters cannot be looked up in a trigram index: no narrowing
    assert_eq!(ids(&s, &searching("8N")).len(), 2);
    assert_eq!(s.count_filtered(&searching("0199999"), 100).unwrap(), 1);
}

fn the_providers_id_is_found_once_it_is_known(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let r = s
        .insert_from_feed(&deposit(acc, Some("feed-1")), &Actor::Intake, "PK-55501")
        .unwrap()
        .0;
    assert_eq!(ids(&s, &searching("PK-555")), vec![r.id]);
}

fn filters_combine_and_amounts_compare_exactly(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let mut made = Vec::new();
    for (i, (amount, currency, method)) in [
        ("99.99", "BDT", "bkash"),
        ("100", "BDT", "nagad"),
        ("100.01", "BDT", "bkash"),
        ("2500.5", "INR", "upi"),
        ("50000", "BDT", "bkash"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = deposit(acc, Some(&format!("f{i}")));
        d.money = Money::parse(amount, currency).unwrap();
        d.method = method.into();
        if i == 4 {
            d.kind = RequestKind::Withdrawal;
        }
        made.push(s.insert_request(&d, &Actor::Intake).unwrap().0.id);
    }
    let key = |t: &str| amount_key(t.parse().unwrap());
    let mut f = QueueFilter::view(QueueView::Queue);
    f.amount_min = key("100");
    f.amount_max = key("2500.50");
    assert_eq!(ids(&s, &f), vec![made[1], made[2], made[3]]);
    f.currency = Some("BDT".into());
    assert_eq!(ids(&s, &f), vec![made[1], made[2]]);
    f.method = Some("bkash".into());
    assert_eq!(ids(&s, &f), vec![made[2]]);
    f.account = Some(cashdesk_domain::AccountId::new());
    assert!(ids(&s, &f).is_empty(), "another account has none");

    let mut f = QueueFilter::view(QueueView::Queue);
    f.kind = Some(RequestKind::Withdrawal);
    assert_eq!(ids(&s, &f), vec![made[4]]);
    f.kind = None;
    f.status = Some(RequestStatus::Pending);
    f.created_after_ms = Some(i64::MAX);
    assert!(ids(&s, &f).is_empty(), "none arrived in the future");
    f.created_after_ms = None;
    f.created_before_ms = Some(0);
    assert!(ids(&s, &f).is_empty(), "none arrived before 1970");
    f.created_before_ms = None;
    f.operator = Some(cashdesk_domain::OperatorId(uuid::Uuid::from_u128(7)));
    assert!(ids(&s, &f).is_empty(), "Rina has touched none yet");
    s.reject(made[0], &agent(), "duplicate").unwrap();
    let mut done = QueueFilter::view(QueueView::Done);
    done.operator = f.operator;
    assert_eq!(ids(&s, &done), vec![made[0]], "Rina decided this one");
    let rina = agent().operator_ref().unwrap().clone();
    s.claim(made[1], &rina, 60_000).unwrap();
    assert_eq!(ids(&s, &f), vec![made[1]], "and is on this one");
}

/// Every sort pages through all rows exactly once, in its order, with ties
/// broken by arrival.
fn each_sort_pages_through_every_row_once_in_its_order(on: Engine) {
    let (_d, s, acc) = store_on(on);
    let amounts = ["300", "10.5", "300", "7000", "10.50", "1", "300.01"];
    let mut made = Vec::new();
    for (i, amount) in amounts.iter().enumerate() {
        let mut d = deposit(acc, Some(&format!("s{i}")));
        d.money = Money::parse(amount, "BDT").unwrap();
        made.push(s.insert_request(&d, &Actor::Intake).unwrap().0);
    }
    let walk = |sort: QueueSort| {
        let mut f = QueueFilter::view(QueueView::Queue);
        f.sort = sort;
        f.limit = 2;
        let mut seen = Vec::new();
        loop {
            let page = s.list_queue(&f).unwrap();
            seen.extend(page.items.iter().map(|r| r.id));
            match page.next {
                Some(c) => f.after = Some(Cursor::decode(&c.encode()).unwrap()),
                None => break seen,
            }
        }
    };
    let arrival: Vec<_> = made.iter().map(|r| r.id).collect();
    assert_eq!(walk(QueueSort::Arrival), arrival);
    assert_eq!(
        walk(QueueSort::TimeLeft),
        arrival,
        "same SLA: oldest due first"
    );
    let mut by_amount = made.clone();
    by_amount.sort_by_key(|r| std::cmp::Reverse(r.money.amount));
    let by_amount: Vec<_> = by_amount.iter().map(|r| r.id).collect();
    let walked = walk(QueueSort::Amount);
    assert_eq!(walked.len(), made.len());
    assert_eq!(walked[0], made[3].id, "largest first");
    assert_eq!(walked[6], made[5].id, "smallest last");
    let amounts_walked: Vec<_> = walked
        .iter()
        .map(|id| s.get_request(*id).unwrap().money.amount)
        .collect();
    let expected: Vec<_> = by_amount
        .iter()
        .map(|id| s.get_request(*id).unwrap().money.amount)
        .collect();
    assert_eq!(amounts_walked, expected);
    // a cursor of one sort does not page another
    let mut f = QueueFilter::view(QueueView::Queue);
    f.limit = 2;
    let c = s.list_queue(&f).unwrap().next.unwrap();
    assert_eq!(
        Cursor::decode(&c.encode()).unwrap().sort,
        QueueSort::Arrival
    );
}

/// Time left is the provider's deadline where it sets one, else arrival
/// plus the desk's SLA; changing the SLA re-dates the requests waiting.
fn time_left_follows_a_providers_deadline_and_the_desks_sla(on: Engine) {
    let (dir, s, acc) = store_on(on);
    let made: Vec<_> = (0..3)
        .map(|i| {
            s.insert_request(&deposit(acc, Some(&format!("d{i}"))), &Actor::Intake)
                .unwrap()
                .0
                .id
        })
        .collect();
    let due = |id: cashdesk_domain::RequestId| -> i64 {
        let r = s.get_request(id).unwrap();
        (r.due.unwrap() - r.created_at).num_milliseconds()
    };
    assert_eq!(due(made[0]), 15 * 60_000, "the default SLA");
    // A deadline a minute after arrival (as CashWeb's expires_at sets).
    dir.execute(&format!(
        "UPDATE requests SET expires_ms = created_ms + 60000 WHERE id = '{}'",
        made[2]
    ));
    assert_eq!(due(made[2]), 60_000);
    let mut f = QueueFilter::view(QueueView::Queue);
    f.sort = QueueSort::TimeLeft;
    assert_eq!(ids(&s, &f), vec![made[2], made[0], made[1]]);

    s.set_setting("desk.sla_minutes", "30", &agent()).unwrap();
    assert_eq!(due(made[0]), 30 * 60_000);
    assert_eq!(due(made[2]), 60_000, "a deadline stays");
    s.reject(made[1], &agent(), "duplicate").unwrap();
    s.set_setting("desk.sla_minutes", "5", &agent()).unwrap();
    assert_eq!(due(made[0]), 5 * 60_000);
    assert_eq!(
        due(made[1]),
        30 * 60_000,
        "a decided one keeps its due time"
    );
}

/// A method's own SLA dates its requests (new and waiting), the desk's SLA
/// the other methods'; removing it hands them back to the desk's. Past
/// their due time, they are in the supervisors' attention list.
fn a_methods_own_sla_dates_its_requests_and_the_attention_list_follows_due_times(on: Engine) {
    let (dir, s, acc) = store_on(on);
    let bkash = s
        .insert_request(&deposit(acc, Some("b1")), &Actor::Intake)
        .unwrap()
        .0
        .id;
    let mut n = deposit(acc, Some("n1"));
    n.method = "nagad".into();
    let nagad = s.insert_request(&n, &Actor::Intake).unwrap().0.id;
    let due = |id: cashdesk_domain::RequestId| -> i64 {
        let r = s.get_request(id).unwrap();
        (r.due.unwrap() - r.created_at).num_milliseconds()
    };
    s.set_method_sla("bkash", Some(5), &agent()).unwrap();
    assert_eq!(s.method_slas().unwrap(), vec![("bkash".to_owned(), 5)]);
    assert_eq!(due(bkash), 5 * 60_000, "re-dated when set");
    assert_eq!(due(nagad), 15 * 60_000);
    let later = s
        .insert_request(&deposit(acc, Some("b2")), &Actor::Intake)
        .unwrap()
        .0
        .id;
    assert_eq!(due(later), 5 * 60_000, "a new one takes its method's");
    s.set_setting("desk.sla_minutes", "40", &agent()).unwrap();
    assert_eq!((due(bkash), due(nagad)), (5 * 60_000, 40 * 60_000));
    s.set_method_sla("bkash", None, &agent()).unwrap();
    assert_eq!(due(bkash), 40 * 60_000, "back to the desk's");

    assert!(s.attention(10).unwrap().is_empty());
    dir.execute(&format!(
        "UPDATE requests SET due_ms = 1000 WHERE id = '{nagad}'"
    ));
    let late: Vec<_> = s
        .attention(10)
        .unwrap()
        .into_iter()
        .map(|(_, r)| r.id)
        .collect();
    assert_eq!(late, vec![nagad]);
}

conformance!(
    any_piece_of_any_identifier_finds_the_request_and_nothing_else,
    the_providers_id_is_found_once_it_is_known,
    filters_combine_and_amounts_compare_exactly,
    each_sort_pages_through_every_row_once_in_its_order,
    time_left_follows_a_providers_deadline_and_the_desks_sla,
    a_methods_own_sla_dates_its_requests_and_the_attention_list_follows_due_times,
);
