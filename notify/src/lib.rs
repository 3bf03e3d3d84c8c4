//! Delivery of alerts beyond the dashboard's inbox: a signed JSON webhook and e-mail over SMTP.
//!
//! Analysis queues deliveries in the store (`alert_deliveries`) in the transaction that raises the
//! alert; [`Notifier::deliver_due`] sends those that are due, records each attempt, and retries a
//! failed one with exponential backoff until it gives up (recorded and audited). Delivery is at least
//! once: a process killed between sending and recording sends again, so receivers deduplicate on the
//! alert id the payload carries.
//!
//! A webhook is a `POST` of the alert as JSON with two headers: `X-Redflag-Timestamp` (seconds since
//! the epoch) and `X-Redflag-Signature: sha256=<hex>`, the HMAC-SHA256 under the shared secret of the
//! timestamp, a full stop and the body ([`sign`]). Receivers recompute it and reject stale timestamps,
//! so a captured request cannot be replayed later ([`verify`]).

mod email;
mod webhook;

use std::time::Duration;

use redflag_store::{AlertRow, Channel, Delivery, Store};

pub use webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify};

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] redflag_store::Error),
    /// The SMTP server URL is not usable.
    #[error("bad SMTP URL {url}: {reason}")]
    SmtpUrl {
        /// The URL, without its password.
        url: String,
        /// Why.
        reason: String,
    },
    /// An e-mail address is not usable.
    #[error("bad e-mail address {address:?}: {reason}")]
    Address {
        /// The address.
        address: String,
        /// Why.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot set up the webhook client: {0}")]
    Client(String),
}

/// A result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How to deliver.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// The webhook's shared secret; webhooks are not sent without one.
    pub webhook_secret: Option<String>,
    /// The SMTP server (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`, `smtps://host`).
    pub smtp_url: Option<String>,
    /// The sender address of alert e-mails.
    pub mail_from: Option<String>,
    /// The dashboard's address, for links in e-mails and payloads (`https://redflag.example`).
    pub dashboard_url: Option<String>,
    /// Attempts before a delivery is given up.
    pub max_attempts: u32,
    /// Wait before the first retry; doubled after each failure, at most an hour.
    pub first_retry: Duration,
    /// Time limit of one attempt.
    pub timeout: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            webhook_secret: None,
            smtp_url: None,
            mail_from: None,
            dashboard_url: None,
            max_attempts: 8,
            first_retry: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
        }
    }
}

/// What one pass of [`Notifier::deliver_due`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeliverySummary {
    /// Deliveries sent.
    pub sent: u64,
    /// Attempts that failed and will be retried.
    pub retrying: u64,
    /// Deliveries given up.
    pub failed: u64,
}

/// Sends due deliveries.
pub struct Notifier {
    config: NotifyConfig,
    http: reqwest::Client,
    mail: Option<email::Mailer>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier").field("smtp", &self.mail.is_some()).finish()
    }
}

/// The JSON an alert is delivered as.
pub fn payload(alert: &AlertRow, dashboard_url: Option<&str>) -> serde_json::Value {
    let link = dashboard_url.map(|d| format!("{}/ads/{}", d.trim_end_matches('/'), alert.ad_id));
    serde_json::json!({
        "type": "redflag.alert",
        "alert": {
            "id": alert.id,
            "watch": { "id": alert.watch_id, "label": alert.watch_label },
            "ad": { "id": alert.ad_id, "version": alert.version, "url": alert.url, "title": alert.title },
            "evidence": alert.evidence,
            "created_at": alert.created_at,
            "dashboard": link,
        }
    })
}

impl Notifier {
    /// A notifier; checks the SMTP URL and sender address now rather than at the first alert.
    pub fn new(config: NotifyConfig) -> Result<Notifier> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            // A webhook answers where it was configured; a redirect elsewhere is a failure.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("redflag/", env!("CARGO_PKG_VERSION"), " (alert webhook)"))
            .build()
            .map_err(|e| Error::Client(e.to_string()))?;
        let mail = match &config.smtp_url {
            Some(url) => Some(email::Mailer::new(url, config.mail_from.as_deref(), config.timeout)?),
            None => None,
        };
        Ok(Notifier { config, http, mail })
    }

    /// Sends every due delivery once; failures are recorded with their next attempt.
    pub async fn deliver_due(&self, store: &Store) -> Result<DeliverySummary> {
        let mut summary = DeliverySummary::default();
        loop {
            let due = store.due_deliveries(100).await?;
            if due.is_empty() {
                return Ok(summary);
            }
            for d in due {
                let outcome = match store.alert(d.alert_id).await {
                    Ok(alert) => self.send(&d, &alert).await,
                    Err(e) if e.is_not_found() => Err("the alert was deleted".to_string()),
                    Err(e) => return Err(e.into()),
                };
                match outcome {
                    Ok(()) => {
                        store.delivery_sent(d.id).await?;
                        summary.sent += 1;
                    }
                    Err(reason) => {
                        let retry = self.retry_at(&d);
                        tracing::warn!(delivery = d.id, channel = d.channel.as_str(), error = %reason, given_up = retry.is_none(), "alert delivery failed");
                        store.delivery_failed(d.id, &reason, retry).await?;
                        if retry.is_some() {
                            summary.retrying += 1;
                        } else {
                            summary.failed += 1;
                        }
                    }
                }
            }
        }
    }

    /// When to try a delivery again after this attempt failed, or `None` to give up.
    fn retry_at(&self, d: &Delivery) -> Option<i64> {
        let attempts = u32::try_from(d.attempts).unwrap_or(u32::MAX).saturating_add(1);
        if attempts >= self.config.max_attempts {
            return None;
        }
        let wait = self.config.first_retry.saturating_mul(1 << (attempts - 1).min(16)).min(Duration::from_secs(3600));
        Some(redflag_store::now_ms() + wait.as_millis() as i64)
    }

    async fn send(&self, d: &Delivery, alert: &AlertRow) -> Result<(), String> {
        match d.channel {
            Channel::Webhook => {
                let secret = self.config.webhook_secret.as_deref().ok_or("no webhook secret configured")?;
                let body = payload(alert, self.config.dashboard_url.as_deref()).to_string();
                webhook::post(&self.http, &d.target, secret, body).await
            }
            Channel::Email => {
                let mail = self.mail.as_ref().ok_or("no SMTP server configured")?;
                mail.send(&d.target, alert, self.config.dashboard_url.as_deref()).await
            }
        }
    }
}
