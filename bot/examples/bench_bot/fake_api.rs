//! A local fake of the Telegram Bot API on 127.0.0.1 that time-stamps what passes through it.
//!
//! It is faithful where teloxide depends on it, like the fake of the integration tests
//! (`bot/tests/it/fake_api.rs`): `POST /bot<token>/<method>` with method names matched
//! case-insensitively, `{"ok":true,"result":…}` envelopes, 401 for a wrong token, a complete bot user
//! from `getMe`, and `getUpdates` with long-polling semantics (updates below `offset` are confirmed and
//! dropped; with none pending the call waits up to `timeout` seconds). On top of that it records when
//! each update was pushed and when a `getUpdates` answer first delivered it, and hands every
//! `sendMessage` to the chat's waiting conversation with the time it arrived, so that latency is
//! measured from delivery to reply at the one place both happen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::any;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

/// A message the bot sent, and when it reached the fake.
pub type Sent = (String, Instant);

#[derive(Default)]
struct Inner {
    /// Updates not yet confirmed by an offset: (update id, the update).
    pending: Vec<(i64, Value)>,
    next_update_id: i64,
    next_message_id: i64,
    /// When each update was first delivered by `getUpdates`.
    delivered: HashMap<i64, Instant>,
    /// Where each chat's replies go.
    chats: HashMap<i64, mpsc::UnboundedSender<Sent>>,
    /// Replies to chats nobody listens to.
    strays: usize,
    get_updates_calls: u64,
    send_message_calls: u64,
}

struct Shared {
    token: String,
    inner: Mutex<Inner>,
    updates: Notify,
}

/// The running fake.
pub struct FakeApi {
    addr: std::net::SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

const BOT_ID: i64 = 700_000_001;

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Decoy", "username": "decoy_bench_bot"})
}

fn ok(result: Value) -> (StatusCode, Json<Value>) {
    (StatusCode::OK, Json(json!({"ok": true, "result": result})))
}

fn err(code: u16, description: &str) -> (StatusCode, Json<Value>) {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(json!({"ok": false, "error_code": code, "description": description})))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

async fn api(State(s): State<Arc<Shared>>, Path(path): Path<String>, body: Bytes) -> (StatusCode, Json<Value>) {
    let Some((bot, method)) = path.split_once('/') else { return err(404, "Not Found") };
    if bot.strip_prefix("bot") != Some(s.token.as_str()) {
        return err(401, "Unauthorized");
    }
    let params: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => return err(400, "Bad Request: the body is not JSON"),
        }
    };
    match method.to_ascii_lowercase().as_str() {
        "getme" => {
            let mut me = bot_user();
            for flag in [
                "can_join_groups",
                "can_read_all_group_messages",
                "supports_inline_queries",
                "can_connect_to_business",
                "has_main_web_app",
            ] {
                me[flag] = json!(false);
            }
            ok(me)
        }
        "getwebhookinfo" => {
            let pending = s.inner.lock().unwrap().pending.len();
            ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": pending}))
        }
        "deletewebhook" | "setmycommands" => ok(json!(true)),
        "getupdates" => get_updates(&s, &params).await,
        "sendmessage" => send_message(&s, &params),
        _ => err(404, "Not Found: method not found"),
    }
}

async fn get_updates(s: &Shared, params: &Value) -> (StatusCode, Json<Value>) {
    let offset = params["offset"].as_i64().unwrap_or(0);
    let timeout = Duration::from_secs(params["timeout"].as_u64().unwrap_or(0).min(50));
    let limit = params["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let deadline = Instant::now() + timeout;
    s.inner.lock().unwrap().get_updates_calls += 1;
    loop {
        let notified = s.updates.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut inner = s.inner.lock().unwrap();
            // An offset confirms every update before it.
            inner.pending.retain(|(id, _)| *id >= offset);
            let ready: Vec<(i64, Value)> = inner.pending.iter().take(limit).cloned().collect();
            if !ready.is_empty() {
                let now = Instant::now();
                for (id, _) in &ready {
                    inner.delivered.entry(*id).or_insert(now);
                }
                return ok(Value::Array(ready.into_iter().map(|(_, u)| u).collect()));
            }
        }
        if Instant::now() >= deadline || tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}

fn send_message(s: &Shared, params: &Value) -> (StatusCode, Json<Value>) {
    let at = Instant::now();
    let chat_id = match &params["chat_id"] {
        Value::Number(n) => n.as_i64(),
        Value::String(t) => t.parse().ok(),
        _ => None,
    };
    let (Some(chat_id), Some(text)) = (chat_id, params["text"].as_str()) else {
        return err(400, "Bad Request: chat_id and text are required");
    };
    if text.is_empty() || text.encode_utf16().count() > 4096 {
        return err(400, "Bad Request: message text is empty or too long");
    }
    let mut inner = s.inner.lock().unwrap();
    inner.next_message_id += 1;
    inner.send_message_calls += 1;
    let message_id = inner.next_message_id;
    let delivered = inner.chats.get(&chat_id).is_some_and(|tx| tx.send((text.to_string(), at)).is_ok());
    if !delivered {
        inner.strays += 1;
    }
    drop(inner);
    ok(json!({
        "message_id": message_id,
        "date": unix_now(),
        "chat": {"id": chat_id, "type": "private", "first_name": "User"},
        "from": bot_user(),
        "text": text,
    }))
}

impl FakeApi {
    /// Starts a fake that accepts `token`.
    pub async fn start(token: &str) -> std::io::Result<FakeApi> {
        let shared = Arc::new(Shared {
            token: token.to_string(),
            inner: Mutex::new(Inner { next_update_id: 1000, ..Inner::default() }),
            updates: Notify::new(),
        });
        let app = Router::new().route("/{*path}", any(api)).with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeApi { addr, shared, server })
    }

    /// The API's base URL, for `--api-url`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Registers a chat: the bot's messages to it arrive on the receiver.
    pub fn open_chat(&self, chat_id: i64) -> mpsc::UnboundedReceiver<Sent> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.shared.inner.lock().unwrap().chats.insert(chat_id, tx);
        rx
    }

    /// Queues a text message from user `user_id` in their private chat with the bot; returns its
    /// update id.
    pub fn push_private(&self, user_id: i64, language: Option<&str>, text: &str) -> i64 {
        let mut from = json!({"id": user_id, "is_bot": false, "first_name": "Alex"});
        if let Some(l) = language {
            from["language_code"] = json!(l);
        }
        let message = json!({
            "message_id": 1,
            "date": unix_now(),
            "chat": {"id": user_id, "type": "private", "first_name": "Alex"},
            "from": from,
            "text": text,
        });
        let mut inner = self.shared.inner.lock().unwrap();
        inner.next_update_id += 1;
        let update_id = inner.next_update_id;
        inner.pending.push((update_id, json!({"update_id": update_id, "message": message})));
        drop(inner);
        self.shared.updates.notify_waiters();
        update_id
    }

    /// When `getUpdates` first handed the update to the bot.
    pub fn delivered_at(&self, update_id: i64) -> Option<Instant> {
        self.shared.inner.lock().unwrap().delivered.get(&update_id).copied()
    }

    /// How many times the bot has called `getUpdates`.
    pub fn get_updates_calls(&self) -> u64 {
        self.shared.inner.lock().unwrap().get_updates_calls
    }

    /// How many messages the bot has sent, and how many of them went to chats nobody listens to.
    pub fn sent_counts(&self) -> (u64, usize) {
        let inner = self.shared.inner.lock().unwrap();
        (inner.send_message_calls, inner.strays)
    }
}
