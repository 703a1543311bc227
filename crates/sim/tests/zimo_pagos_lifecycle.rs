//! Cashouts move over time, every change is notified form-encoded and
//! without the status, and a receiver that fetches the status (as the
//! core must) learns each new state; refused notifications are retried.

mod zimo_pagos_support;

/// Named so `cargo test zimo` selects these tests.
mod zimo_pagos {
    use super::zimo_pagos_support::{Api, Receiver, body, fast, sim};
    use cashdesk_sim::zimo_pagos::{SimNotification, ZimoPagosSimConfig};
    use cashdesk_sim::{Deliveries, Unstated};
    use cashdesk_zimo_pagos::{CashoutId, Client, Notification, Status};
    use serde_json::json;
    use std::time::Duration;

    fn id_of(a: &super::zimo_pagos_support::Answer) -> CashoutId {
        CashoutId(a.json["cashout_id"].as_u64().expect("cashout_id"))
    }

    #[tokio::test]
    async fn a_cashout_goes_pending_delivered_completed_and_each_change_is_notified_without_status()
    {
        let mut inbox = Receiver::start(0, None).await;
        let sim = sim(fast()).await;
        let created = Api::new(&sim)
            .cashout(&body(&sim, "wd-life", &inbox.url))
            .await;
        let id = id_of(&created);

        for _ in 0..2 {
            let got = inbox.next().await;
            assert_eq!(
                got.content_type.as_deref(),
                Some("application/x-www-form-urlencoded")
            );
            let n = Notification::parse(got.content_type.as_deref(), &got.body).unwrap();
            assert_eq!(
                (n.cashout_id, n.external_id.as_deref()),
                (Some(id), Some("wd-life"))
            );
            assert!(
                n.changed_at().is_some(),
                "date in YYYY-MM-DD HH:MM:SS: {}",
                n.date
            );
            assert_eq!(n.control.len(), 64);
            let form = String::from_utf8(got.body).unwrap();
            assert!(
                !form.contains("status="),
                "no status in a notification: {form}"
            );
        }
        let c = sim.cashout(id).unwrap();
        let statuses: Vec<Status> = c.history.iter().map(|h| h.0).collect();
        assert_eq!(
            statuses,
            [Status::Pending, Status::Delivered, Status::Completed]
        );
        assert!(c.bank_reference_id.is_some());
        assert!(sim.notifications().iter().all(SimNotification::accepted));
    }

    #[tokio::test]
    async fn a_receiver_that_fetches_the_status_learns_each_new_state() {
        let sim = sim(fast()).await;
        let client =
            Client::with_config(&sim.base_url(), sim.credentials(), sim.client_config()).unwrap();
        let mut inbox = Receiver::start(0, Some(client)).await;
        let mut b = body(&sim, "wd-rej", &inbox.url);
        b["document_id"] = json!("REJECT-123");
        Api::new(&sim).cashout(&b).await;

        let first = inbox.next().await.status.expect("status fetched");
        assert_eq!(first.status, Status::Delivered);
        let second = inbox.next().await.status.expect("status fetched");
        assert_eq!(second.status, Status::Rejected);
        assert_eq!(second.rejection_code, Some(800));
        assert_eq!(
            second.rejection_reason.as_deref(),
            Some("Invalid bank account")
        );
    }

    #[tokio::test]
    async fn an_on_hold_cashout_waits_until_released() {
        let mut inbox = Receiver::start(0, None).await;
        let sim = sim(fast()).await;
        let mut b = body(&sim, "wd-hold", &inbox.url);
        b["on_hold"] = json!(true);
        let id = id_of(&Api::new(&sim).cashout(&b).await);
        assert_eq!(sim.cashout(id).unwrap().status, Status::OnHold);
        assert!(inbox.quiet_for(Duration::from_millis(500)).await);
        assert_eq!(sim.cashout(id).unwrap().status, Status::OnHold);

        assert!(sim.release_hold(id));
        assert!(
            !sim.release_hold(id),
            "only an on-hold cashout can be released"
        );
        for _ in 0..3 {
            inbox.next().await;
        }
        let statuses: Vec<Status> = sim
            .cashout(id)
            .unwrap()
            .history
            .iter()
            .map(|h| h.0)
            .collect();
        assert_eq!(
            statuses,
            [
                Status::OnHold,
                Status::Pending,
                Status::Delivered,
                Status::Completed
            ]
        );
    }

    #[tokio::test]
    async fn a_refused_notification_is_retried_up_to_5_more_times() {
        let mut inbox = Receiver::start(u32::MAX, None).await;
        let sim = sim(ZimoPagosSimConfig {
            deliver_after: Duration::from_millis(50),
            settle_after: Duration::from_secs(60),
            notification_retry_wait: Duration::from_millis(20),
            ..fast()
        })
        .await;
        Api::new(&sim)
            .cashout(&body(&sim, "wd-retry", &inbox.url))
            .await;
        for _ in 0..6 {
            inbox.next().await;
        }
        assert!(inbox.quiet_for(Duration::from_millis(300)).await);
        let attempts: Vec<(u32, Option<u16>)> = sim
            .notifications()
            .iter()
            .map(|n| (n.attempt, n.answered))
            .collect();
        assert_eq!(
            attempts,
            (1..=6).map(|a| (a, Some(500))).collect::<Vec<_>>()
        );
    }

    #[tokio::test]
    async fn retries_stop_at_the_first_2xx() {
        let mut inbox = Receiver::start(2, None).await;
        let sim = sim(ZimoPagosSimConfig {
            settle_after: Duration::from_secs(60),
            ..fast()
        })
        .await;
        Api::new(&sim)
            .cashout(&body(&sim, "wd-2xx", &inbox.url))
            .await;
        for _ in 0..3 {
            inbox.next().await;
        }
        assert!(inbox.quiet_for(Duration::from_millis(300)).await);
        let n = sim.notifications();
        assert_eq!(n.len(), 3);
        assert!(n[2].accepted() && !n[1].accepted());
    }

    #[tokio::test]
    async fn under_repeated_deliveries_each_accepted_notification_comes_three_times() {
        let mut inbox = Receiver::start(0, None).await;
        let sim = sim(ZimoPagosSimConfig {
            settle_after: Duration::from_secs(60),
            ..fast()
        })
        .await;
        sim.set_unstated(Unstated {
            deliveries: Deliveries::Repeated,
            ..Default::default()
        });
        Api::new(&sim)
            .cashout(&body(&sim, "wd-again", &inbox.url))
            .await;
        let first = inbox.next().await.body;
        for _ in 0..2 {
            assert_eq!(inbox.next().await.body, first, "the same notification");
        }
        assert!(inbox.quiet_for(Duration::from_millis(300)).await);
    }

    #[tokio::test]
    async fn a_merchant_panel_status_change_is_notified_and_final_statuses_stay() {
        let mut inbox = Receiver::start(0, None).await;
        let sim = sim(ZimoPagosSimConfig {
            deliver_after: Duration::from_secs(60),
            ..fast()
        })
        .await;
        let id = id_of(
            &Api::new(&sim)
                .cashout(&body(&sim, "wd-cancel", &inbox.url))
                .await,
        );
        assert!(sim.force_status(id, Status::Cancelled));
        inbox.next().await;
        assert_eq!(sim.cashout(id).unwrap().status, Status::Cancelled);
        assert!(
            !sim.force_status(id, Status::Completed),
            "cancelled is final"
        );
        assert!(!sim.force_status(CashoutId(1), Status::Completed));
    }

    #[tokio::test]
    async fn an_unreachable_receiver_is_recorded_and_retried() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/gone", listener.local_addr().unwrap());
        drop(listener);
        let sim = sim(ZimoPagosSimConfig {
            settle_after: Duration::from_secs(60),
            notification_retries: 1,
            ..fast()
        })
        .await;
        Api::new(&sim).cashout(&body(&sim, "wd-gone", &url)).await;
        for _ in 0..100 {
            if sim.notifications().len() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let n = sim.notifications();
        assert_eq!(n.len(), 2);
        assert!(n.iter().all(|a| a.answered.is_none()));
    }
}
