//! A desk that trusts its own CA instead of pinning: a desktop with the
//! CA's certificate reaches a server whose certificate that CA signed (its
//! name checked), and refuses one signed by another CA or named otherwise,
//! before anything is sent.

mod common;

use cashdesk_core::Cashdesk;
use cashdesk_core::api::dto::ErrorCode;
use cashdesk_core::team::client::TeamClient;
use cashdesk_core::team::trust::Trust;
use cashdesk_core::team::{TeamServerConfig, TlsSource, serve};
use common::*;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::Value;

/// A CA: its PEM, and what signs with it.
fn ca(name: &str) -> (String, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let pem = params.self_signed(&key).unwrap().pem();
    (pem, Issuer::new(params, key))
}

/// A server certificate for `names`, signed by `issuer`, as PEM files.
fn leaf(dir: &std::path::Path, names: &[&str], issuer: &Issuer<'static, KeyPair>) -> TlsSource {
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    let cert = params.signed_by(&key, issuer).unwrap();
    let (c, k) = (dir.join("server.crt"), dir.join("server.key"));
    std::fs::write(&c, cert.pem()).unwrap();
    std::fs::write(&k, key.serialize_pem()).unwrap();
    TlsSource::Files { cert: c, key: k }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desktop_trusts_the_desks_ca_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let app = Cashdesk::start(config(dir.path())).await.unwrap();
    let (ours, issuer) = ca("Desk CA");
    let (theirs, _) = ca("Another CA");
    let info = serve(
        &app,
        TeamServerConfig {
            tls: leaf(dir.path(), &["localhost"], &issuer),
            ..TeamServerConfig::loopback(dir.path())
        },
    )
    .await
    .unwrap();
    let port = info.addr.port();

    let desk = TeamClient::new(
        &format!("https://localhost:{port}"),
        &Trust::Ca(ours.clone()),
    )
    .unwrap();
    let hello = desk.hello().await.unwrap();
    assert_eq!(hello.kind, "cashdesk-team-desk");
    desk.call("session", Value::Null).await.unwrap();

    // Another CA: refused in the handshake.
    let other = TeamClient::new(&format!("https://localhost:{port}"), &Trust::Ca(theirs)).unwrap();
    let e = other.call("session", Value::Null).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerUnreachable, "{e:?}");
    assert!(e.message.contains("Nothing was sent"), "{}", e.message);

    // Our CA, but a name the certificate does not carry: refused too.
    let misnamed = TeamClient::new(&format!("https://127.0.0.1:{port}"), &Trust::Ca(ours)).unwrap();
    let e = misnamed.call("session", Value::Null).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::ServerUnreachable, "{e:?}");
}
