//! The team desk server's certificate: the admin's own (a CA-signed one,
//! `cert` and `key` PEM files), or one made at first start and kept in the
//! data folder (readable by the server's user only), which desktops pin by
//! its SHA-256 fingerprint when they join.

use crate::error::{CoreError, CoreResult};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the server's certificate comes from.
#[derive(Debug, Clone)]
pub enum TlsSource {
    /// PEM files the admin provides (a certificate chain and its key).
    Files { cert: PathBuf, key: PathBuf },
    /// Made once in `dir` for `names` (host names and addresses desktops
    /// use), then reused: the fingerprint stays the same across restarts.
    SelfSigned { dir: PathBuf, names: Vec<String> },
}

/// The fingerprint desktops pin: `SHA256:` and the hex of the DER
/// certificate's hash in colon-separated pairs (as `openssl x509
/// -fingerprint -sha256` prints it).
pub fn fingerprint(der: &[u8]) -> String {
    let hex: Vec<String> = Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    format!("SHA256:{}", hex.join(":"))
}

fn tls_error(what: impl std::fmt::Display) -> CoreError {
    CoreError::Invalid(format!("The team desk's TLS certificate: {what}"))
}

/// The rustls server configuration and the certificate's fingerprint.
pub(crate) fn server_config(source: &TlsSource) -> CoreResult<(Arc<rustls::ServerConfig>, String)> {
    let (certs, key) = match source {
        TlsSource::Files { cert, key } => (read_certs(cert)?, read_key(key)?),
        TlsSource::SelfSigned { dir, names } => self_signed(dir, names)?,
    };
    let print = fingerprint(certs.first().ok_or_else(|| tls_error("no certificate"))?);
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(tls_error)?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(tls_error)?;
    Ok((Arc::new(config), print))
}

fn read_certs(path: &Path) -> CoreResult<Vec<CertificateDer<'static>>> {
    CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| tls_error(format!("{}: {e}", path.display())))
}

fn read_key(path: &Path) -> CoreResult<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_file(path).map_err(|e| tls_error(format!("{}: {e}", path.display())))
}

/// The certificate kept in `dir`, made there first if missing.
fn self_signed(
    dir: &Path,
    names: &[String],
) -> CoreResult<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let cert = dir.join("team-desk.crt");
    let key = dir.join("team-desk.key");
    if !cert.exists() || !key.exists() {
        make(dir, &cert, &key, names)?;
    }
    Ok((read_certs(&cert)?, read_key(&key)?))
}

fn make(dir: &Path, cert: &Path, key: &Path, names: &[String]) -> CoreResult<()> {
    let mut all = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    all.extend(names.iter().cloned());
    all.dedup();
    let made = rcgen::generate_simple_self_signed(all).map_err(tls_error)?;
    std::fs::create_dir_all(dir).map_err(tls_error)?;
    write_private(key, made.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(cert, made.cert.pem()).map_err(tls_error)?;
    tracing::info!("team desk: made a TLS certificate in {}", dir.display());
    Ok(())
}

/// Writes `bytes` to a file only its owner may read.
fn write_private(path: &Path, bytes: &[u8]) -> CoreResult<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(tls_error)?;
    f.write_all(bytes).map_err(tls_error)?;
    f.sync_all().map_err(tls_error)
}
