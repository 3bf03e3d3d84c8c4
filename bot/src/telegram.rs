//! The Telegram adapter: a thin layer between teloxide's dispatcher and the [`Service`].
//!
//! Long polling (`getUpdates`) feeds teloxide's dispatcher, which runs the updates of one chat one at a
//! time, in order, as [`Service::handle`] requires. Only text messages from people in private chats
//! are handled; groups, channels, stickers, photos, and anything sent by a bot (this one included) or
//! through an inline bot are ignored without being logged, so a reply is never triggered by the bot's
//! own messages. The raw chat id goes to the
//! service, which hashes it before anything is stored or logged; user names and usernames are never
//! read. The bot token appears in the API's URLs, so it is scrubbed from every error this module
//! reports.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::dispatching::{Dispatcher, UpdateFilterExt};
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::{Requester, dptree};
use teloxide::types::{ChatId, Me, Message, Update, UserId};
use teloxide::update_listeners::Polling;
use teloxide::utils::command::BotCommands;
use teloxide::{Bot, RequestError};

use crate::channel::Channel;
use crate::error::{Error, Result};
use crate::persona::Mode;
use crate::service::{Incoming, Service};
use crate::split::TELEGRAM_MAX_UNITS;

/// The public Bot API.
pub const DEFAULT_API_URL: &str = "https://api.telegram.org";

/// How to reach Telegram.
#[derive(Clone)]
pub struct TelegramOptions {
    /// The bot token from BotFather.
    pub token: String,
    /// The Bot API's base URL: [`DEFAULT_API_URL`], a self-hosted Bot API server, or a test fake.
    pub api_url: reqwest::Url,
    /// How long one `getUpdates` call waits for messages.
    pub poll_timeout: Duration,
}

impl std::fmt::Debug for TelegramOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramOptions")
            .field("token", &"<secret>")
            .field("api_url", &self.api_url.as_str())
            .field("poll_timeout", &self.poll_timeout)
            .finish()
    }
}

impl TelegramOptions {
    /// Options for the public Bot API with a 10-second long poll.
    pub fn new(token: impl Into<String>) -> TelegramOptions {
        TelegramOptions {
            token: token.into(),
            api_url: reqwest::Url::parse(DEFAULT_API_URL).expect("the default Bot API URL parses"),
            poll_timeout: Duration::from_secs(10),
        }
    }

    fn bot(&self) -> Bot {
        Bot::new(self.token.clone()).set_api_url(self.api_url.clone())
    }

    /// Turns a teloxide error into ours, without the token.
    fn error(&self, method: &'static str, e: &RequestError) -> Error {
        let url = self.api_url.as_str().trim_end_matches('/').to_string();
        let scrub = |s: String| if self.token.is_empty() { s } else { s.replace(&self.token, "<token>") };
        match e {
            RequestError::Network(err) => {
                // reqwest's own message names the URL, which holds the token: report the causes only.
                let mut parts = Vec::new();
                let mut source = std::error::Error::source(&**err);
                while let Some(s) = source {
                    parts.push(s.to_string());
                    source = s.source();
                }
                let what = if err.is_timeout() {
                    "timed out".to_string()
                } else if err.is_connect() {
                    "connection failed".to_string()
                } else {
                    "request failed".to_string()
                };
                let message = if parts.is_empty() { what } else { format!("{what}: {}", parts.join(": ")) };
                Error::Unreachable { url, message: scrub(message) }
            }
            RequestError::InvalidJson { .. } => {
                Error::Unreachable { url, message: "the answer is not the Bot API's JSON (is the URL right?)".into() }
            }
            RequestError::Io(err) => Error::Unreachable { url, message: scrub(err.to_string()) },
            other => Error::Api { url, method, message: scrub(other.to_string()) },
        }
    }
}

/// Sends replies through the Bot API.
#[derive(Clone)]
pub struct TelegramChannel {
    bot: Bot,
    opts: Arc<TelegramOptions>,
}

impl TelegramChannel {
    /// A channel that sends with these options.
    pub fn new(opts: TelegramOptions) -> TelegramChannel {
        TelegramChannel { bot: opts.bot(), opts: Arc::new(opts) }
    }
}

impl Channel for TelegramChannel {
    fn name(&self) -> &'static str {
        "telegram"
    }

    fn max_message_units(&self) -> usize {
        TELEGRAM_MAX_UNITS
    }

    async fn send(&self, chat_id: &str, text: &str) -> Result<()> {
        let id: i64 = chat_id.parse().map_err(|_| Error::BadChatId { channel: "telegram" })?;
        self.bot.send_message(ChatId(id), text).await.map_err(|e| self.opts.error("sendMessage", &e))?;
        Ok(())
    }
}

/// The commands a job-check bot lists in Telegram's menu (a decoy lists none).
#[derive(BotCommands, Clone, Debug)]
#[command(rename_rule = "lowercase")]
enum CheckCommands {
    /// Check a job ad: paste its text after the command or in the next message.
    Check,
    /// What this bot does.
    Help,
}

/// Checks the token and the API: calls `getMe` and returns the bot's own account.
pub async fn connect(opts: &TelegramOptions) -> Result<Me> {
    opts.bot().get_me().await.map_err(|e| opts.error("getMe", &e))
}

/// A pinned, boxed, sendable future (what teloxide's error handlers return).
type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Logs update-listener errors without the token (teloxide's default handler prints URLs).
struct ListenerErrors(Arc<TelegramOptions>);

impl ErrorHandler<RequestError> for ListenerErrors {
    fn handle_error(self: Arc<Self>, error: RequestError) -> BoxFuture<'static, ()> {
        let e = self.0.error("getUpdates", &error);
        Box::pin(async move { tracing::warn!(error = %e, "telegram polling error") })
    }
}

/// The bot's own account, as `getMe` reported it.
#[derive(Clone, Copy)]
struct OwnId(UserId);

/// Whether a message must never be answered: not in a private chat, not from a person (the bot itself,
/// another bot), or sent through an inline bot (its text is a bot's, not the person's).
fn ignored(msg: &Message, own: OwnId) -> bool {
    !msg.chat.is_private()
        || msg.from.as_ref().is_none_or(|u| u.is_bot || u.id == own.0)
        || msg.via_bot.is_some()
        || msg.sender_chat.is_some()
}

async fn on_message(msg: Message, service: Arc<Service>, channel: Arc<TelegramChannel>, own: OwnId) -> Result<()> {
    if ignored(&msg, own) {
        return Ok(());
    }
    let Some(text) = msg.text() else { return Ok(()) };
    let chat_id = msg.chat.id.0.to_string();
    let hint = msg.from.as_ref().and_then(|u| u.language_code.as_deref());
    let incoming = Incoming { chat_id: &chat_id, text, language_hint: hint, decoy_ad: None };
    if let Err(e) = service.handle(&*channel, &incoming).await {
        let key = service.chat_key(channel.name(), &chat_id);
        tracing::warn!(chat = %key, error = %e, "cannot handle a message");
    }
    Ok(())
}

/// Runs the bot on Telegram until `shutdown` completes: checks the token (`getMe`), removes any webhook,
/// then long-polls for messages and answers them through `service`. Also runs the retention purge
/// hourly.
pub async fn run(
    service: Arc<Service>,
    opts: TelegramOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let me = connect(&opts).await?;
    tracing::info!(bot = %me.username.as_deref().unwrap_or("?"), persona = %service.persona().id, "connected to Telegram");
    let opts = Arc::new(opts);
    let bot = opts.bot();
    if service.persona().mode == Mode::Check
        && let Err(e) = bot.set_my_commands(CheckCommands::bot_commands()).await
    {
        tracing::warn!(error = %opts.error("setMyCommands", &e), "cannot list the bot's commands");
    }
    let channel = Arc::new(TelegramChannel { bot: bot.clone(), opts: Arc::clone(&opts) });
    let handler = Update::filter_message().endpoint(on_message);
    let mut dispatcher = Dispatcher::builder(bot.clone(), handler)
        .dependencies(dptree::deps![Arc::clone(&service), channel, OwnId(me.id)])
        // teloxide's default prints ignored updates in full, names included: say nothing instead.
        .default_handler(|_| async {})
        .build();
    let token = dispatcher.shutdown_token();
    let stopper = tokio::spawn(async move {
        shutdown.await;
        // The dispatcher refuses a shutdown until it has started (the signal may come during start-up):
        // retry until it accepts. This task is aborted once dispatching ends.
        loop {
            match token.shutdown() {
                Ok(done) => {
                    done.await;
                    return;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    let purger = tokio::spawn(Arc::clone(&service).purge_periodically(Duration::from_secs(3600)));
    let listener = Polling::builder(bot).timeout(opts.poll_timeout).delete_webhook().await.build();
    let result = dispatcher.try_dispatch_with_listener(listener, Arc::new(ListenerErrors(Arc::clone(&opts)))).await;
    purger.abort();
    stopper.abort();
    result.map_err(|e| opts.error("getMe", &e))
}
