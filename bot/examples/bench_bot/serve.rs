//! The bot process of the benchmark: what `redflag bot --sms-listen ADDR --sms-url URL` runs, built
//! from the same library calls (the store, the bundled classifier, [`Service`], the SMS webhook on its
//! own listener and the Telegram long-polling adapter), so the benchmark needs no release build of the
//! whole `redflag` binary. Secrets come from the same environment variables. Stops on SIGTERM or
//! Ctrl-C, finishing the requests in flight.

use std::sync::Arc;

use redflag_bot::sms::{self, SmsOptions};
use redflag_bot::telegram::{self, TelegramOptions};
use redflag_bot::{ChatHasher, Persona, Service};
use redflag_classifier::Classifier;
use redflag_store::{Store, StoreOptions};

use crate::BoxError;

/// `serve --database-url URL --persona FILE --api-url URL --sms-listen ADDR --sms-url URL`
pub async fn run(args: &[String]) -> Result<(), BoxError> {
    let flag = |name: &str| -> Result<String, BoxError> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .ok_or_else(|| format!("serve: {name} is required").into())
    };
    let env = |name: &str| std::env::var(name).map_err(|_| -> BoxError { format!("serve: set {name}").into() });
    // No log subscriber: `redflag bot` logs only warnings by default, and dropping them costs less.
    let persona = Persona::load(std::path::Path::new(&flag("--persona")?))?;
    let hasher = ChatHasher::from_encoded(&env("REDFLAG_BOT_SECRET")?)?;
    let mut telegram = TelegramOptions::new(env("TELEGRAM_BOT_TOKEN")?);
    telegram.api_url = reqwest::Url::parse(&flag("--api-url")?)?;
    let sms = SmsOptions { auth_token: env("SMS_AUTH_TOKEN")?, public_url: flag("--sms-url")? };
    let store = Store::open(&StoreOptions::url(flag("--database-url")?)).await?;
    let classifier = Arc::new(Classifier::bundled()?);
    let service = Arc::new(Service::new(persona, hasher, store, classifier));

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
        }
        let _ = stop_tx.send(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let listener = tokio::net::TcpListener::bind(flag("--sms-listen")?).await?;
    let webhook = tokio::spawn(sms::serve(Arc::clone(&service), sms, listener, stopped(stop_rx.clone())));
    telegram::run(service, telegram, stopped(stop_rx)).await?;
    webhook.await??;
    Ok(())
}
