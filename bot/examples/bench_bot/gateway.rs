//! An SMS gateway as the webhook sees one: signed form POSTs (`X-Twilio-Signature` over the public
//! URL and the sorted fields), a fresh `MessageSid` per message, the TwiML answer read back.

use std::sync::atomic::{AtomicU64, Ordering};

use redflag_bot::sms;

/// Posts inbound messages to the bot's webhook.
pub struct Gateway {
    /// Where the webhook listens.
    endpoint: String,
    /// The URL the signatures cover (as configured at the gateway).
    public_url: String,
    auth_token: String,
    client: reqwest::Client,
    sid: AtomicU64,
}

/// The `<Message>` texts of a TwiML answer, unescaped.
fn messages_of(twiml: &str) -> Vec<String> {
    let unescape = |s: &str| {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
    };
    twiml.split("<Message>").skip(1).map(|m| unescape(m.split("</Message>").next().unwrap_or_default())).collect()
}

impl Gateway {
    /// A gateway posting to `endpoint`, signing for `public_url` with `auth_token`.
    pub fn new(endpoint: String, public_url: String, auth_token: String) -> Gateway {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(usize::MAX)
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("a plain HTTP client builds");
        Gateway { endpoint, public_url, auth_token, client, sid: AtomicU64::new(1) }
    }

    /// Posts one message from `from` to `to`; returns the messages of the answer, or why it failed.
    pub async fn sms(&self, from: &str, to: &str, text: &str) -> Result<Vec<String>, String> {
        let sid = format!("SM{:032}", self.sid.fetch_add(1, Ordering::Relaxed));
        let params: Vec<(String, String)> = [
            ("MessageSid", sid.as_str()),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", from),
            ("To", to),
            ("Body", text),
            ("NumMedia", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let signature = sms::signature(&self.auth_token, &self.public_url, &params);
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
        let resp = self
            .client
            .post(&self.endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(sms::SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = resp.status();
        let body = resp.text().await.map_err(|e| format!("reading the answer: {e}"))?;
        if !status.is_success() {
            return Err(format!("HTTP {status}: {body}"));
        }
        Ok(messages_of(&body))
    }
}
