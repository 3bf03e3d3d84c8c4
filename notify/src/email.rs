//! Alert e-mails over SMTP with lettre: plain text, ad text stripped of control characters (lettre
//! encodes headers, so a title cannot add one).

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use redflag_store::AlertRow;

use crate::{Error, Result};

pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((creds, host)) if creds.contains(':') => {
            let scheme = creds.split("://").next().unwrap_or("smtp");
            format!("{scheme}://***@{host}")
        }
        _ => url.to_string(),
    }
}

fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

impl Mailer {
    pub(crate) fn new(url: &str, from: Option<&str>, timeout: Duration) -> Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| Error::SmtpUrl { url: redact(url), reason: e.to_string() })?
            .timeout(Some(timeout))
            .build();
        let from = from.unwrap_or("redflag@localhost");
        let from = from.parse().map_err(|e: lettre::address::AddressError| Error::Address {
            address: from.to_string(),
            reason: e.to_string(),
        })?;
        Ok(Mailer { transport, from })
    }

    pub(crate) async fn send(&self, to: &str, alert: &AlertRow, dashboard_url: Option<&str>) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("bad recipient {to:?}: {e}"))?;
        let title = clean(&alert.title);
        let mut body = format!(
            "Your watch \"{}\" matched a new or changed ad.\n\nAd {} (version {}):\n{}\nURL: {}\n",
            clean(&alert.watch_label),
            alert.ad_id,
            alert.version,
            title,
            clean(&alert.url)
        );
        if let Some(d) = dashboard_url {
            body.push_str(&format!("Open it: {}/ads/{}\n", d.trim_end_matches('/'), alert.ad_id));
        }
        // Short lines keep the message in plain 7-bit text that any mail client shows as it is.
        let evidence = serde_json::to_string_pretty(&alert.evidence).unwrap_or_default();
        body.push_str(&format!("\nWhat matched:\n{evidence}\n"));
        let subject: String = format!("[Redflag] {}: {}", clean(&alert.watch_label), title).chars().take(200).collect();
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body)
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
    }
}
