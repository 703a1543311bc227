//! Risk signals in the detail (a reused TrxID, the same or a re-encoded
//! screenshot, recent rejections, many requests), the admin's blocking
//! duplicate rule, and the confirmation above the admin's threshold: all
//! enforced by the core, whatever the window does.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::dto::ErrorCode;
use cashdesk_core::api::policy::{self, DeskPolicy};
use cashdesk_core::api::requests;
use cashdesk_core::api::risk::RiskKindView as K;
use cashdesk_core::intake::{IntakeRequest, IntakeScreenshot, submit};
use cashdesk_domain::{AccountId, Money, ProviderKind, RequestId, RequestKind, Role};
use common::*;

fn deposit(acc: AccountId, user: &str, trx: &str, method: &str, amount: &str) -> IntakeRequest {
    let mut req = intake_request(
        &uuid::Uuid::new_v4().simple().to_string(),
        RequestKind::Deposit,
        ProviderKind::Zexabit,
        Some(acc),
        (method, amount, "BDT"),
    );
    req.end_user_ref = user.into();
    req.trx_id = Some(trx.into());
    req.agent_number = Some("01712345678".into());
    req.provider_user_id = Some(format!("zx_{user}"));
    req
}

fn file(app: &Cashdesk, req: &IntakeRequest) -> RequestId {
    submit(app, req).unwrap().0.id
}

fn kinds(app: &Cashdesk, id: RequestId) -> Vec<K> {
    requests::get_request(app, id)
        .unwrap()
        .risk
        .iter()
        .map(|r| r.kind)
        .collect()
}

fn desk() -> (tempfile::TempDir, Cashdesk, AccountId) {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::open(config(dir.path())).unwrap();
    act_as(&app, "Owner");
    add_person(&app, "Agnes", &[Role::Agent]);
    let acc = offline_zexabit_account(&app);
    (dir, app, acc)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reused_trxid_names_the_earlier_request_and_blocks_only_when_an_admin_says_so() {
    let (_dir, app, acc) = desk();
    let first = file(&app, &deposit(acc, "usr_1", "TRXDUP01", "bkash", "500"));
    let second = file(&app, &deposit(acc, "usr_2", "TRXDUP01", "bkash", "500"));
    let third = file(&app, &deposit(acc, "usr_3", "TRXDUP01", "bkash", "500"));
    let other_method = file(&app, &deposit(acc, "usr_4", "TRXDUP01", "nagad", "500"));
    act_as(&app, "Agnes");
    requests::reject(&app, first, "TrxID not found")
        .await
        .unwrap();

    let d = requests::get_request(&app, third).unwrap();
    let dup = d.risk.iter().find(|r| r.kind == K::SameReference).unwrap();
    assert_eq!(dup.other, first, "names the earliest");
    assert_eq!(dup.other_status_label, "rejected");
    assert_eq!(dup.other_by.as_deref(), Some("Agnes"));
    assert_eq!(dup.count, 2);
    assert!(!dup.blocking);
    assert_eq!(d.approve_blocked, None);
    assert!(
        !kinds(&app, other_method).contains(&K::SameReference),
        "TrxIDs are per method"
    );

    // An agent cannot make it blocking; an admin can.
    let block = DeskPolicy {
        block_duplicate_reference: true,
        ..Default::default()
    };
    assert!(needs_role(policy::set_desk_policy(&app, &block)));
    act_as(&app, "Owner");
    policy::set_desk_policy(&app, &block).unwrap();
    act_as(&app, "Agnes");
    let d = requests::get_request(&app, third).unwrap();
    let why = d.approve_blocked.clone().expect("blocked");
    assert!(why.contains(&second.to_string()), "{why}");
    assert!(
        d.risk
            .iter()
            .any(|r| r.kind == K::SameReference && r.blocking)
    );
    // The core refuses it, whatever the window shows.
    assert_eq!(
        refusal(requests::approve(&app, third)),
        ErrorCode::NotAllowed
    );
    assert_eq!(
        refusal(requests::approve_confirmed(&app, third)),
        ErrorCode::NotAllowed
    );
    // Rejecting stays open; once the other is turned down, the block lifts.
    requests::reject(&app, second, "TrxID already used")
        .await
        .unwrap();
    assert_eq!(
        requests::get_request(&app, third).unwrap().approve_blocked,
        None
    );
    requests::approve(&app, third).unwrap();
    // Now the third holds the reference: a fourth with it is blocked.
    let fourth = file(&app, &deposit(acc, "usr_5", "TRXDUP01", "bkash", "500"));
    assert_eq!(
        refusal(requests::approve(&app, fourth)),
        ErrorCode::NotAllowed
    );
}

/// A receipt-like picture: blocks of "text" on white, shifted by `shift`.
fn receipt(w: u32, h: u32, shift: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let row = (y * 20 / h + shift) % 7;
        if (row + x * 10 / w).is_multiple_of(3) {
            image::Rgb([30, 30, 40])
        } else {
            image::Rgb([250, 250, 245])
        }
    })
}

fn shot(
    img: &image::RgbImage,
    format: image::ImageFormat,
    name: &str,
    mime: &str,
) -> IntakeScreenshot {
    use base64::Engine;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    IntakeScreenshot {
        file_name: name.into(),
        content_type: mime.into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(out.into_inner()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_screenshot_and_a_resized_jpeg_of_it_are_found_but_another_picture_is_not() {
    let (_dir, app, acc) = desk();
    let original = receipt(720, 1280, 0);
    let png = shot(&original, image::ImageFormat::Png, "pay.png", "image/png");
    let small = image::imageops::resize(&original, 480, 853, image::imageops::FilterType::Triangle);
    let jpeg = shot(&small, image::ImageFormat::Jpeg, "pay.jpg", "image/jpeg");
    let other = shot(
        &receipt(720, 1280, 3),
        image::ImageFormat::Png,
        "b.png",
        "image/png",
    );

    let with = |user: &str, trx: &str, s: &IntakeScreenshot| {
        let mut r = deposit(acc, user, trx, "bkash", "500");
        r.screenshot = Some(s.clone());
        file(&app, &r)
    };
    let first = with("usr_a", "TRXA0001", &png);
    let copy = with("usr_b", "TRXB0001", &png);
    let resized = with("usr_c", "TRXC0001", &jpeg);
    let unrelated = with("usr_d", "TRXD0001", &other);

    act_as(&app, "Agnes");
    let d = requests::get_request(&app, copy).unwrap();
    let same = d.risk.iter().find(|r| r.kind == K::SameScreenshot).unwrap();
    assert_eq!(same.other, first);
    let d = requests::get_request(&app, resized).unwrap();
    let near = d
        .risk
        .iter()
        .find(|r| r.kind == K::SimilarScreenshot)
        .unwrap();
    assert!([first, copy].contains(&near.other));
    assert_eq!(near.count, 2, "both earlier copies");
    assert!(near.distance.unwrap() <= 6, "{:?}", near.distance);
    assert!(!kinds(&app, resized).contains(&K::SameScreenshot));
    let k = kinds(&app, unrelated);
    assert!(
        !k.contains(&K::SameScreenshot) && !k.contains(&K::SimilarScreenshot),
        "{k:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_end_user_with_recent_rejections_and_many_requests_is_flagged() {
    let (_dir, app, acc) = desk();
    let a = file(&app, &deposit(acc, "usr_busy", "TRXM0001", "bkash", "500"));
    let _b = file(&app, &deposit(acc, "usr_busy", "TRXM0002", "bkash", "500"));
    let c = file(&app, &deposit(acc, "usr_busy", "TRXM0003", "bkash", "500"));
    act_as(&app, "Agnes");
    assert!(
        kinds(&app, c).is_empty(),
        "two earlier requests are not many"
    );
    requests::reject(&app, a, "amount differs").await.unwrap();
    let d = requests::get_request(&app, c).unwrap();
    let rej = d
        .risk
        .iter()
        .find(|r| r.kind == K::RecentRejections)
        .unwrap();
    assert_eq!((rej.other, rej.count), (a, 1));
    act_as(&app, "Owner");
    let d4 = file(&app, &deposit(acc, "usr_busy", "TRXM0004", "bkash", "500"));
    act_as(&app, "Agnes");
    let many = requests::get_request(&app, d4).unwrap();
    let m = many
        .risk
        .iter()
        .find(|r| r.kind == K::ManyRequests)
        .unwrap();
    assert_eq!((m.other, m.count), (c, 3));
    let calm = file(&app, &deposit(acc, "usr_calm", "TRXQ0001", "bkash", "500"));
    assert!(kinds(&app, calm).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn approving_above_the_admins_threshold_needs_a_confirmation_the_core_checks() {
    let (_dir, app, acc) = desk();
    let big = file(&app, &deposit(acc, "usr_big", "TRXBIG01", "bkash", "25000"));
    let small = file(
        &app,
        &deposit(acc, "usr_small", "TRXSML01", "bkash", "19999.99"),
    );
    let bad = DeskPolicy {
        reject_reasons_deposit: (1..=10).map(|n| format!("reason {n}")).collect(),
        ..Default::default()
    };
    assert_eq!(
        refusal(policy::set_desk_policy(&app, &bad)),
        ErrorCode::InvalidInput
    );
    let twice = DeskPolicy {
        confirm_above: vec![
            Money::parse("1", "BDT").unwrap(),
            Money::parse("2", "BDT").unwrap(),
        ],
        ..Default::default()
    };
    assert_eq!(
        refusal(policy::set_desk_policy(&app, &twice)),
        ErrorCode::InvalidInput
    );
    let p = DeskPolicy {
        confirm_above: vec![Money::parse("20000", "BDT").unwrap()],
        reject_reasons_deposit: vec!["  Receipt is for another number ".into(), "".into()],
        ..Default::default()
    };
    let saved = policy::set_desk_policy(&app, &p).unwrap();
    assert_eq!(
        saved.reject_reasons_deposit,
        ["Receipt is for another number"]
    );

    act_as(&app, "Agnes");
    assert_eq!(policy::desk_policy(&app).unwrap(), saved, "agents read it");
    let d = requests::get_request(&app, big).unwrap();
    assert_eq!(
        d.confirm_from.map(|m| m.display()),
        Some("20,000.00 BDT".into())
    );
    let refused = requests::approve(&app, big).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NeedsConfirmation);
    assert!(refused.message.contains("20,000.00"), "{}", refused.message);
    assert_eq!(
        requests::get_request(&app, big).unwrap().summary.status,
        cashdesk_domain::RequestStatus::Pending,
        "nothing was decided"
    );
    requests::approve_confirmed(&app, big).unwrap();
    assert_eq!(
        requests::get_request(&app, small).unwrap().confirm_from,
        None
    );
    requests::approve(&app, small).unwrap();
}

/// An amount outside the limits the provider gives for its method (the
/// list last fetched, in the common shape) is said in the detail; inside
/// them, or with no list known, nothing is.
#[tokio::test(flavor = "multi_thread")]
async fn an_amount_outside_the_methods_limits_is_said() {
    let (_dir, app, acc) = desk();
    let small = file(&app, &deposit(acc, "usr_1", "TRXLIM01", "bkash", "50"));
    let fine = file(&app, &deposit(acc, "usr_2", "TRXLIM02", "bkash", "500"));
    let large = file(&app, &deposit(acc, "usr_3", "TRXLIM03", "bkash", "30000"));
    assert!(
        requests::get_request(&app, small)
            .unwrap()
            .outside_limits
            .is_none(),
        "no list known: nothing said"
    );
    let methods = serde_json::json!([{
        "method": "bkash", "label": "bKash", "currency": "BDT", "kind": "deposit",
        "min": "100", "max": "25000", "manual": false, "screenshot": false
    }]);
    app.store()
        .put_cache(&format!("methods.{acc}"), &methods.to_string())
        .unwrap();
    let below = requests::get_request(&app, small)
        .unwrap()
        .outside_limits
        .unwrap();
    assert!(below.below);
    assert_eq!(below.method, "bKash");
    assert_eq!(below.min.unwrap().amount.to_string(), "100");
    assert!(
        requests::get_request(&app, fine)
            .unwrap()
            .outside_limits
            .is_none()
    );
    let above = requests::get_request(&app, large)
        .unwrap()
        .outside_limits
        .unwrap();
    assert!(!above.below);
    assert_eq!(above.max.unwrap().amount.to_string(), "25000");
}
