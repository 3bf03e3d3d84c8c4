//! The signed webhook: the signature scheme and the POST.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header with the signature, `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Redflag-Signature";
/// The header with the time of sending, seconds since the epoch; it is part of what is signed.
pub const TIMESTAMP_HEADER: &str = "X-Redflag-Timestamp";

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The `X-Redflag-Signature` value for a body sent at `timestamp` (seconds since the epoch).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(mac(secret, timestamp, body).finalize().into_bytes()))
}

/// Whether a received webhook is authentic and fresh: the signature matches (compared in constant time)
/// and the timestamp is within `tolerance_secs` of `now_secs`.
pub fn verify(secret: &str, timestamp: &str, body: &[u8], signature: &str, now_secs: i64, tolerance_secs: i64) -> bool {
    let Ok(ts) = timestamp.trim().parse::<i64>() else { return false };
    if (now_secs - ts).abs() > tolerance_secs {
        return false;
    }
    let Some(hex_sig) = signature.trim().strip_prefix("sha256=") else { return false };
    let Ok(given) = hex::decode(hex_sig) else { return false };
    mac(secret, ts, body).verify_slice(&given).is_ok()
}

/// Posts `body` to `url`, signed; any answer but 2xx is a failure.
pub(crate) async fn post(client: &reqwest::Client, url: &str, secret: &str, body: String) -> Result<(), String> {
    let ts = redflag_store::now_ms() / 1000;
    let signature = sign(secret, ts, body.as_bytes());
    let resp = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(TIMESTAMP_HEADER, ts.to_string())
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    let status = resp.status();
    if status.is_success() { Ok(()) } else { Err(format!("POST {url}: HTTP {status}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_body_time_and_secret() {
        let s = sign("k", 1_700_000_000, b"{}");
        assert!(verify("k", "1700000000", b"{}", &s, 1_700_000_010, 300));
        assert!(!verify("k", "1700000000", b"{ }", &s, 1_700_000_010, 300), "body changed");
        assert!(!verify("other", "1700000000", b"{}", &s, 1_700_000_010, 300), "wrong secret");
        assert!(!verify("k", "1700000001", b"{}", &s, 1_700_000_010, 300), "timestamp changed");
        assert!(!verify("k", "1700000000", b"{}", &s, 1_700_001_000, 300), "replayed late");
        assert!(!verify("k", "1700000000", b"{}", "sha256=zz", 1_700_000_010, 300));
    }
}
