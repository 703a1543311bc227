//! The withdrawal signature checked against the document's own PHP code.
//!
//! `tests/fixtures/doc_signature.php` is the document's example, verbatim.
//! The harness below takes its two functions, puts them in a class (they
//! call each other through `self::`) and feeds them what Paykassma's
//! server would have: our JSON body after `json_decode($body, true)`. PHP
//! is required: a missing `php` fails these tests loudly, never skips them.

use cashdesk_paykassma::postback::{self, Postback};
use cashdesk_paykassma::signature::{self, PrivateKey};
use cashdesk_paykassma::{
    BankDetails, CreateWithdrawalRequest, PaymentsDetails, PostbackPolicy, Received,
};
use serde_json::{Map, Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/doc_signature.php"
);

/// Runs the document's `generateSignature` for each `[private key, data]`.
/// The only change to the document's code is the key literal, which is
/// read from each case instead of being 'yourprivatekey'.
const HARNESS: &str = r#"
$src = file_get_contents(getenv('DOC_PHP'));
$at = strpos($src, 'function generateSignature');
if ($at === false) { fwrite(STDERR, "the fixture has no generateSignature\n"); exit(2); }
$code = str_replace("'yourprivatekey'", "\$GLOBALS['case_key']", substr($src, $at));
eval('final class DocumentSigner { ' . $code . ' }');
$cases = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
foreach ($cases as $case) {
    $GLOBALS['case_key'] = $case[0];
    $data = json_decode($case[1], true, 512, JSON_THROW_ON_ERROR);
    echo (new DocumentSigner)->generateSignature($data), "\n";
}
"#;

/// Signatures PHP computes for `(key, JSON body)` cases, in order.
fn php_signatures(cases: &[(String, String)]) -> Vec<String> {
    let input = serde_json::to_string(cases).unwrap();
    let mut child = Command::new("php")
        .args(["-r", HARNESS])
        .env("DOC_PHP", FIXTURE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "`php` is required for the signature tests (the document's reference code is PHP) \
                 but could not be run: {e}. Install php-cli and put `php` on PATH."
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "php failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), cases.len(), "one signature per case");
    lines
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// Asserts that ours equals PHP's for every case, naming the first that differs.
fn assert_same(cases: Vec<(&str, Map<String, Value>)>) {
    let wire: Vec<(String, String)> = cases
        .iter()
        .map(|(k, d)| ((*k).to_owned(), serde_json::to_string(d).unwrap()))
        .collect();
    let theirs = php_signatures(&wire);
    for ((key, data), php) in cases.iter().zip(theirs) {
        let ours = signature::sign(&PrivateKey::new((*key).to_owned()), data);
        assert_eq!(
            ours,
            php,
            "signature differs for key {key:?}, body {}",
            Value::Object(data.clone())
        );
    }
}

fn document_example() -> Map<String, Value> {
    object(json!({
        "withdrawal_id": "1234567", "payment_system": "paytm", "amount": 1000,
        "currency_code": "INR", "label": "55", "is_test": false, "comment": "withdrawal",
        "account_number": "11111111",
        "payments_details": {"payments_provider": "56", "payments_method": "MOBILE_MONEY"},
        "bank_details": {"bank_code": "MAHB0001821", "branch_code": "000254",
                         "bank_code_in_payments_system": "9393"}
    }))
}

#[test]
fn the_fixture_is_the_documents_code_verbatim() {
    let src = std::fs::read_to_string(FIXTURE).unwrap();
    assert!(src.contains("    $privateKey = 'yourprivatekey';\n    ksort($data);"));
    assert!(src.contains("return sha1($privateKey . md5($implode));"));
    assert!(src.contains("is_array($val) ? self::multiImplode($glue, $val) :\n$val;"));
}

#[test]
fn the_documents_example_request_signs_as_php_signs_it() {
    let data = document_example();
    assert_same(vec![("yourprivatekey", data.clone())]);
    // the value PHP printed for it, kept so a regression is visible at a glance
    let key = PrivateKey::new("yourprivatekey");
    assert_eq!(
        signature::sign(&key, &data),
        "d4d72d95681836388ccd726f33946c6a6c597d92"
    );
}

#[test]
fn booleans_nulls_and_nested_details_sign_as_php_signs_them() {
    assert_same(vec![
        (
            "k",
            object(json!({"is_test": true, "b": false, "c": null, "a": ""})),
        ),
        (
            "k",
            object(
                json!({"payments_details": {"payments_provider": null, "payments_method": "MOBILE_MONEY"},
            "bank_details": {"branch_code": "000254", "bank_code": null, "x": true},
            "amount": 500, "deep": [[1, [2, false]], {"z": "last", "a": "first"}], "empty": [], "none": {}}),
            ),
        ),
        (
            "k",
            object(json!({"10": "ten", "9": "nine", "1.5": "x", "B": 1, "a": 2, "-3": 3, "01": 4})),
        ),
    ]);
}

#[test]
fn decimals_sign_as_php_prints_the_decoded_double() {
    let text = r#"{"amount": 1000.50, "a": 0.1, "b": 1e25, "c": 100000000000005.0, "d": 1.5e-7,
        "e": -0.0, "f": 12345678901234567890, "g": 3.60, "h": 0.00012, "i": 999999999999995.0,
        "j": 100000000000095, "k": 1000.00, "l": -5, "m": 123456789012345.67}"#;
    let data: Map<String, Value> = serde_json::from_str(text).unwrap();
    assert_same(vec![("yourprivatekey", data)]);
}

#[test]
fn thousands_of_random_doubles_print_as_php_prints_them() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut cases = Vec::new();
    for chunk in 0..40 {
        let mut data = Map::new();
        for i in 0..50 {
            let r = next();
            let value = match i % 4 {
                // any finite double
                0 => f64::from_bits(r),
                // money-like: cents up to a billion
                1 => (r % 100_000_000_000) as f64 / 100.0,
                // 15-digit integers, where PHP's rounding has quirks
                2 => (100_000_000_000_000 + r % 900_000_000_000_000) as f64,
                // small fractions around the exponent switch
                _ => (r % 1_000_000) as f64 * 10f64.powi(-(((r >> 40) % 12) as i32)),
            };
            if value.is_finite() {
                data.insert(format!("v{i:02}"), json!(value));
            }
        }
        data.insert("chunk".into(), json!(chunk));
        cases.push(("k", data));
    }
    assert_same(cases);
}

#[test]
fn non_ascii_values_keys_and_private_keys_sign_as_php_signs_them() {
    assert_same(vec![
        ("ключ-🔑", document_example()),
        (
            "k",
            object(
                json!({"account_name": "মোঃ রহিম উদ্দিন", "comment": "निकासी ✓",
            "ä": "é", "Z": "ß", "label": "用户55"}),
            ),
        ),
    ]);
}

#[test]
fn our_withdrawal_bodies_sign_as_php_signs_them() {
    let mut req = CreateWithdrawalRequest {
        withdrawal_id: "wd-0001".into(),
        payment_system: "imps_ib".into(),
        amount: 2500,
        currency_code: "INR".into(),
        label: "user-55".into(),
        is_test: true,
        comment: Some("payout ₹2500".into()),
        account_number: Some("1950478885".into()),
        account_name: Some("Ravi Kumar".into()),
        account_email: None,
        payments_details: PaymentsDetails {
            payments_provider: Some("56".into()),
            payments_method: Some("MOBILE_MONEY".into()),
        },
        bank_details: BankDetails {
            bank_code: Some("MAHB0001821".into()),
            branch_code: Some("000254".into()),
            bank_code_in_payments_system: None,
        },
        account_type: None,
        document_type: None,
        document_id: None,
        account_digit: None,
        iban: None,
    };
    let key = PrivateKey::new("pk_test_1");
    let first = req.signed_body(&key);
    req.is_test = false;
    req.bank_details = BankDetails::default();
    let second = req.signed_body(&key);
    assert!(signature::verify(&key, &first) && signature::verify(&key, &second));
    let strip = |mut m: Map<String, Value>| {
        m.remove("signature");
        m
    };
    assert_same(vec![
        ("pk_test_1", strip(first)),
        ("pk_test_1", strip(second)),
    ]);
}

#[test]
fn a_postback_signed_by_the_documents_php_verifies() {
    let body = r#"{"transaction_id": "453535345", "label": "435",
        "stockpiling": {"USD": 4610062.05, "INR": 345345345, "BTC": 74.54470339,
                        "DOGE": 16950326.08316667, "VEF": 1145543450116.04, "XPT": 4398},
        "stockpiling_id": 1585,
        "transactions": [{"amount": 345345345, "currency_code": "INR", "wallet_type": "phone_pe",
            "transaction_id": "453535345", "transaction_type": 0, "from": null,
            "created_datetime": "2021-10-21 13:34:12", "activated_datetime": "2021-11-01 14:16:51",
            "custom_id": null}]}"#;
    let data: Map<String, Value> = serde_json::from_str(body).unwrap();
    let php = php_signatures(&[("pk".into(), body.into())]).remove(0);
    let mut signed = data.clone();
    signed.insert("signature".into(), Value::String(php));
    let bytes = serde_json::to_vec(&signed).unwrap();
    let got = postback::verify(&PrivateKey::new("pk"), PostbackPolicy::default(), &bytes);
    let Ok(Received::Verified(Postback::Deposit(p))) = got else {
        panic!("expected a verified deposit postback, got {got:?}");
    };
    assert_eq!(p.stockpiling["DOGE"].to_string(), "16950326.08316667");
    assert_eq!(p.stockpiling_id, "1585");
}
