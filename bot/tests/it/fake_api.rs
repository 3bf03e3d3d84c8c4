//! A local fake of the Telegram Bot API on 127.0.0.1, faithful where teloxide depends on it.
//!
//! It serves `POST /bot<token>/<method>` like the real API: method names match case-insensitively
//! (teloxide sends `GetMe`, `GetUpdates`), every answer is an `{"ok":true,"result":…}` envelope or an
//! `{"ok":false,"error_code":…,"description":…}` error, a wrong token gets 401 `Unauthorized`. Implemented
//! methods: `getMe` (a complete bot user: the dispatcher refuses to start without one),
//! `getWebhookInfo`, `deleteWebhook`, `setMyCommands`, `sendMessage` (recorded, answered with a full
//! `Message`) and `getUpdates` with long-polling semantics: updates with `update_id < offset` are
//! confirmed and dropped, and when none is pending the call waits up to `timeout` seconds for one.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::any;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::time::Instant;

/// A message the bot sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The chat it went to.
    pub chat_id: i64,
    /// Its text.
    pub text: String,
}

#[derive(Default)]
struct Inner {
    /// Updates not yet confirmed by an offset.
    pending: Vec<Value>,
    next_update_id: i64,
    next_message_id: i64,
    sent: Vec<Sent>,
    /// Method names as requested.
    calls: Vec<String>,
}

struct Shared {
    token: String,
    inner: Mutex<Inner>,
    updates: Notify,
    sent: Notify,
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
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Decoy", "username": "decoy_test_bot"})
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
    s.inner.lock().unwrap().calls.push(method.to_string());
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
    loop {
        let notified = s.updates.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut inner = s.inner.lock().unwrap();
            // An offset confirms every update before it.
            inner.pending.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            let ready: Vec<Value> = inner.pending.iter().take(limit).cloned().collect();
            if !ready.is_empty() {
                return ok(Value::Array(ready));
            }
        }
        if Instant::now() >= deadline || tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}

fn send_message(s: &Shared, params: &Value) -> (StatusCode, Json<Value>) {
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
    let message_id = inner.next_message_id;
    inner.sent.push(Sent { chat_id, text: text.to_string() });
    drop(inner);
    s.sent.notify_waiters();
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
    pub async fn start(token: &str) -> FakeApi {
        let shared = Arc::new(Shared {
            token: token.to_string(),
            inner: Mutex::new(Inner { next_update_id: 1000, ..Inner::default() }),
            updates: Notify::new(),
            sent: Notify::new(),
        });
        let app = Router::new().route("/{*path}", any(api)).with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeApi { addr, shared, server }
    }

    /// The API's base URL, for `Bot::set_api_url`.
    pub fn url(&self) -> reqwest::Url {
        reqwest::Url::parse(&format!("http://{}/", self.addr)).unwrap()
    }

    fn push(&self, message: Value) {
        let mut inner = self.shared.inner.lock().unwrap();
        inner.next_update_id += 1;
        let update_id = inner.next_update_id;
        inner.pending.push(json!({"update_id": update_id, "message": message}));
        drop(inner);
        self.shared.updates.notify_waiters();
    }

    /// A text message from user `user_id` in their private chat with the bot.
    pub fn push_private(&self, user_id: i64, language: Option<&str>, text: &str) {
        let mut from =
            json!({"id": user_id, "is_bot": false, "first_name": "Alex", "username": format!("user{user_id}")});
        if let Some(l) = language {
            from["language_code"] = json!(l);
        }
        self.push(json!({
            "message_id": 1,
            "date": unix_now(),
            "chat": {"id": user_id, "type": "private", "first_name": "Alex", "username": format!("user{user_id}")},
            "from": from,
            "text": text,
        }));
    }

    /// A text message in the private chat with `chat_id`, sent by `from` (a user object), with extra
    /// message fields (`via_bot`, …).
    pub fn push_private_from(&self, chat_id: i64, from: Value, text: &str, extra: &[(&str, Value)]) {
        let mut message = json!({
            "message_id": 1,
            "date": unix_now(),
            "chat": {"id": chat_id, "type": "private", "first_name": "Alex"},
            "from": from,
            "text": text,
        });
        for (k, v) in extra {
            message[*k] = v.clone();
        }
        self.push(message);
    }

    /// The bot's own user object.
    pub fn bot_user() -> Value {
        bot_user()
    }

    /// A text message in a group the bot is in.
    pub fn push_group(&self, group_id: i64, user_id: i64, text: &str) {
        self.push(json!({
            "message_id": 1,
            "date": unix_now(),
            "chat": {"id": group_id, "type": "group", "title": "Some group"},
            "from": {"id": user_id, "is_bot": false, "first_name": "Sam"},
            "text": text,
        }));
    }

    /// Waits until the bot has sent at least `n` messages in all; panics after `within`.
    pub async fn wait_for_sent(&self, n: usize, within: Duration) -> Vec<Sent> {
        let deadline = Instant::now() + within;
        loop {
            let notified = self.shared.sent.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let sent = self.sent();
            if sent.len() >= n {
                return sent;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("the bot sent {} messages, expected {n}: {sent:?}", sent.len());
            }
        }
    }

    /// Every message sent so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.shared.inner.lock().unwrap().sent.clone()
    }

    /// Every method called so far, as spelled in the request.
    pub fn calls(&self) -> Vec<String> {
        self.shared.inner.lock().unwrap().calls.clone()
    }

    /// Updates not yet confirmed.
    pub fn pending(&self) -> usize {
        self.shared.inner.lock().unwrap().pending.len()
    }
}
