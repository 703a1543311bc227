//! How a desktop trusts its team desk server: the certificate's SHA-256
//! pinned when the desktop joined (the admin reads the fingerprint the
//! server prints and the agent compares it), or a CA the desk configured.
//! A probe, used only to show the fingerprint before joining, accepts any
//! certificate and sends nothing but `hello`.

use super::tls::fingerprint;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::{Arc, Mutex};

/// What the desktop checks the server's certificate against.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    /// The fingerprint (`SHA256:AB:…`) seen and confirmed at join.
    Pinned(String),
    /// PEM of the CA that signs the desk's certificates.
    Ca(String),
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls client configuration for `trust`.
pub(crate) fn client_config(trust: &Trust) -> Result<rustls::ClientConfig, String> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    Ok(match trust {
        Trust::Pinned(print) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned {
                print: Some(print.clone()),
                seen: Arc::default(),
                provider: provider(),
            }))
            .with_no_client_auth(),
        Trust::Ca(pem) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|e| format!("the desk's CA certificate: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("the desk's CA certificate: {e}"))?;
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    })
}

/// A configuration that accepts any certificate and records its
/// fingerprint in the returned cell: for the join probe only.
pub(crate) fn probe_config() -> (rustls::ClientConfig, Arc<Mutex<Option<String>>>) {
    let seen: Arc<Mutex<Option<String>>> = Arc::default();
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned {
            print: None,
            seen: seen.clone(),
            provider: provider(),
        }))
        .with_no_client_auth();
    (config, seen)
}

/// Accepts exactly the certificate whose fingerprint is `print` (any,
/// when `None`: the probe), whatever name it carries: the pin is the
/// stronger check. Signatures are still verified, so the server must hold
/// the certificate's key.
#[derive(Debug)]
struct Pinned {
    print: Option<String>,
    seen: Arc<Mutex<Option<String>>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let got = fingerprint(end_entity.as_ref());
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(got.clone());
        match &self.print {
            Some(want) if !want.eq_ignore_ascii_case(&got) => Err(rustls::Error::General(format!(
                "the server's certificate ({got}) is not the one this desktop joined ({want})"
            ))),
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
