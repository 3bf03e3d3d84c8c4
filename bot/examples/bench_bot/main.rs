//! Load benchmark of the deterrence bot: many concurrent conversations over Telegram and SMS against a
//! real store, with reply latency, throughput, errors and the bot process's peak memory (used by
//! `bench/bot.sh`; see `docs/benchmarks.md`).
//!
//! ```text
//! bench_bot [--conversations N] [--think-ms MS] [--channels telegram,sms] [--persona FILE]
//!           [--database-url URL | --pg ADMIN_URL] [--seed N]
//! ```
//!
//! The bot runs in its own process (this program with `serve`, or `redflag bot` when `REDFLAG_BIN`
//! names the binary), so its memory and CPU time are read from `/proc` apart from the load generator's.
//! Telegram: the bot's teloxide adapter long-polls a local fake of the Bot API ([`fake_api`]); latency
//! is the time from the `getUpdates` answer that delivers a message to the `sendMessage` of its reply,
//! both seen by the fake. SMS: signed form POSTs to the webhook, as a gateway sends them
//! ([`gateway`]); latency is the HTTP exchange, since the reply is the TwiML answer. Each conversation
//! plays a script ([`script`]) and waits for each reply before it "types" the next message, with a
//! think time drawn uniformly from 0.5–1.5 × `--think-ms` (the first message within one think time of
//! the start). Every reply is checked against the persona; silences are checked too, and after the
//! run the store's counters must agree (each buyer deterred exactly once, each STOP counted once).

mod fake_api;
mod gateway;
mod script;
mod serve;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redflag_bot::Persona;
use redflag_store::{Store, StoreOptions};
use tokio::time::Instant;

use crate::fake_api::FakeApi;
use crate::gateway::Gateway;
use crate::script::{Expect, Kind};

/// Errors of the benchmark itself.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

const TOKEN: &str = "4242424242:AAbenchTOKENforTHEfakeAPI";
/// 32 bytes in hex, as `openssl rand -hex 32` writes them (a fixed one: the store is thrown away).
const SECRET: &str = "6f1c0b5e4a7d2398c1e0f4b6a9d8c7e5f3b2a1908d7c6e5f4a3b2c1d0e9f8a7b";
const SMS_AUTH_TOKEN: &str = "gateway-auth-token-for-the-benchmark";
const SMS_PUBLIC_URL: &str = "https://bot.example.org/sms";
/// The example persona's first decoy number (a UK number reserved for drama), on `city-escorts-0624`.
const DECOY_NUMBER: &str = "+447700900123";
const DECOY_AD: &str = "city-escorts-0624";
/// The Telegram deep link to that ad, which English buyers open the conversation with.
const START_LINK: &str = "/start city-escorts-0624";
/// The longest wait for a reply before it counts as an error.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a conversation waits after its last message for replies that must not come.
const GRACE: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chan {
    Telegram,
    Sms,
}

impl Chan {
    fn name(self) -> &'static str {
        match self {
            Chan::Telegram => "telegram",
            Chan::Sms => "sms",
        }
    }
}

struct Options {
    conversations: usize,
    think: Duration,
    channels: Vec<Chan>,
    persona: PathBuf,
    database_url: Option<String>,
    pg_admin: Option<String>,
    seed: u64,
}

fn parse_options(args: &[String]) -> Result<Options, BoxError> {
    let mut o = Options {
        conversations: 1000,
        think: Duration::from_millis(1000),
        channels: vec![Chan::Telegram, Chan::Sms],
        persona: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/bot/persona.example.toml"),
        database_url: None,
        pg_admin: None,
        seed: 7,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| -> BoxError { format!("{flag} needs a value").into() });
        match flag.as_str() {
            "--conversations" => o.conversations = value()?.parse()?,
            "--think-ms" => o.think = Duration::from_millis(value()?.parse()?),
            "--channels" => {
                o.channels = value()?
                    .split(',')
                    .map(|c| match c.trim() {
                        "telegram" => Ok(Chan::Telegram),
                        "sms" => Ok(Chan::Sms),
                        other => Err(format!("unknown channel {other:?} (telegram, sms)")),
                    })
                    .collect::<Result<_, _>>()?
            }
            "--persona" => o.persona = PathBuf::from(value()?),
            "--database-url" => o.database_url = Some(value()?),
            "--pg" => o.pg_admin = Some(value()?),
            "--seed" => o.seed = value()?.parse()?,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    Ok(o)
}

/// A field of `/proc/PID/status`, in KiB.
fn status_kib(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User plus system CPU time of a process, in seconds.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: count fields after its closing parenthesis (field 3 is first).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux whatever the kernel's internal tick rate.
    Some(ticks as f64 / 100.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// What one conversation saw.
#[derive(Default)]
struct ConvResult {
    /// Reply latencies.
    latencies: Vec<Duration>,
    /// Telegram: from queueing a message to its delivery by `getUpdates`.
    pickups: Vec<Duration>,
    messages: usize,
    replies: usize,
    deterrences: usize,
    errors: Vec<String>,
    /// When its last message was answered (or its silence began).
    finished: Option<Instant>,
}

struct Ctx {
    persona: Persona,
    think: Duration,
    seed: u64,
    fake: FakeApi,
    gateway: Gateway,
}

fn think_time(rng: &mut StdRng, think: Duration) -> Duration {
    think.mul_f64(0.5 + rng.random::<f64>())
}

async fn telegram_conversation(ctx: Arc<Ctx>, i: usize) -> (Kind, ConvResult) {
    let kind = Kind::of(i);
    let mut r = ConvResult::default();
    let chat_id = 900_000_000 + i as i64;
    let mut rx = ctx.fake.open_chat(chat_id);
    let mut rng = StdRng::seed_from_u64(ctx.seed ^ (i as u64) << 1);
    let decoy_ad = if kind == Kind::BuyerEn { DECOY_AD } else { "direct" };
    tokio::time::sleep(ctx.think.mul_f64(rng.random::<f64>())).await;
    let steps = script::steps(kind, Some(START_LINK));
    for (n, step) in steps.iter().enumerate() {
        while let Ok((text, _)) = rx.try_recv() {
            r.deterrences += usize::from(script::is_deterrence(&ctx.persona, &text));
            r.errors.push(format!("{}: unexpected reply {text:?}", kind.name()));
        }
        let pushed = Instant::now();
        let update = ctx.fake.push_private(chat_id, Some(kind.lang()), step.text);
        r.messages += 1;
        if step.expect != Expect::Silence {
            match tokio::time::timeout(REPLY_TIMEOUT, rx.recv()).await {
                Ok(Some((text, at))) => {
                    let delivered = ctx.fake.delivered_at(update).unwrap_or(pushed);
                    r.latencies.push(at.saturating_duration_since(delivered));
                    r.pickups.push(delivered.saturating_duration_since(pushed));
                    r.replies += 1;
                    r.deterrences += usize::from(script::is_deterrence(&ctx.persona, &text));
                    if !script::matches(&ctx.persona, decoy_ad, kind.lang(), step.expect, &text) {
                        r.errors.push(format!(
                            "{}: {:?} answered {text:?}, expected {:?}",
                            kind.name(),
                            step.text,
                            step.expect
                        ));
                    }
                }
                _ => {
                    r.errors.push(format!("{}: no reply to {:?} within {REPLY_TIMEOUT:?}", kind.name(), step.text));
                    break;
                }
            }
        }
        r.finished = Some(Instant::now());
        if n + 1 < steps.len() {
            tokio::time::sleep(think_time(&mut rng, ctx.think)).await;
        }
    }
    // Silence must hold: replies that come late are errors too.
    tokio::time::sleep(GRACE).await;
    while let Ok((text, _)) = rx.try_recv() {
        r.deterrences += usize::from(script::is_deterrence(&ctx.persona, &text));
        r.errors.push(format!("{}: unexpected reply {text:?}", kind.name()));
    }
    (kind, r)
}

async fn sms_conversation(ctx: Arc<Ctx>, i: usize) -> (Kind, ConvResult) {
    let kind = Kind::of(i);
    let mut r = ConvResult::default();
    // Fictional numbers, never a decoy number.
    let from = format!("+1555{:07}", i);
    let mut rng = StdRng::seed_from_u64(ctx.seed ^ (i as u64) << 1 ^ 1);
    tokio::time::sleep(ctx.think.mul_f64(rng.random::<f64>())).await;
    let steps = script::steps(kind, None);
    for (n, step) in steps.iter().enumerate() {
        let sent = Instant::now();
        let answer = ctx.gateway.sms(&from, DECOY_NUMBER, step.text).await;
        let latency = sent.elapsed();
        r.messages += 1;
        match answer {
            Err(e) => {
                r.errors.push(format!("{}: {:?}: {e}", kind.name(), step.text));
                break;
            }
            Ok(messages) => {
                r.deterrences += messages.iter().filter(|m| script::is_deterrence(&ctx.persona, m)).count();
                if step.expect == Expect::Silence {
                    if !messages.is_empty() {
                        r.errors.push(format!(
                            "{}: {:?} answered {messages:?}, expected silence",
                            kind.name(),
                            step.text
                        ));
                    }
                } else {
                    r.latencies.push(latency);
                    r.replies += messages.len();
                    let ok = matches!(messages.as_slice(), [m] if script::matches(&ctx.persona, DECOY_AD, kind.lang(), step.expect, m));
                    if !ok {
                        r.errors.push(format!(
                            "{}: {:?} answered {messages:?}, expected {:?}",
                            kind.name(),
                            step.text,
                            step.expect
                        ));
                    }
                }
            }
        }
        r.finished = Some(Instant::now());
        if n + 1 < steps.len() {
            tokio::time::sleep(think_time(&mut rng, ctx.think)).await;
        }
    }
    (kind, r)
}

/// The `p`-th percentile (nearest rank) of sorted durations, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    format!(
        "p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples)",
        percentile(&v, 50.0),
        percentile(&v, 95.0),
        percentile(&v, 99.0),
        percentile(&v, 100.0),
        v.len()
    )
}

/// What a phase expects the store's counters to say.
#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    conversations: i64,
    deterrence: i64,
    help_requests: i64,
    opt_outs: i64,
    closed_without_intent: i64,
}

struct PhaseResult {
    chan: Chan,
    expected: Counts,
    errors: usize,
}

async fn phase(ctx: &Arc<Ctx>, chan: Chan, n: usize, bot: u32) -> PhaseResult {
    let load_before = load_average();
    // Peak RSS per phase: writing 5 to clear_refs resets the high-water mark.
    let _ = std::fs::write(format!("/proc/{bot}/clear_refs"), "5");
    let cpu_before = cpu_seconds(bot).unwrap_or(0.0);
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let ctx = Arc::clone(ctx);
        match chan {
            Chan::Telegram => tasks.spawn(telegram_conversation(ctx, i)),
            Chan::Sms => tasks.spawn(sms_conversation(ctx, i)),
        };
    }
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let (mut latencies, mut pickups, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    let (mut messages, mut replies, mut finished) = (0, 0, start);
    let mut deterrence_wrong = 0;
    let mut expected = Counts::default();
    while let Some(joined) = tasks.join_next().await {
        let (kind, r) = joined.expect("a conversation task panicked");
        *by_kind.entry(kind).or_default() += 1;
        latencies.extend(r.latencies);
        pickups.extend(r.pickups);
        errors.extend(r.errors);
        messages += r.messages;
        replies += r.replies;
        finished = finished.max(r.finished.unwrap_or(start));
        if r.deterrences != usize::from(kind.is_buyer()) {
            deterrence_wrong += 1;
        }
        expected.conversations += 1;
        expected.deterrence += i64::from(kind.is_buyer());
        expected.help_requests += i64::from(matches!(kind, Kind::HelpEn | Kind::HelpEs));
        expected.opt_outs += i64::from(matches!(kind, Kind::StopEn | Kind::StopEs));
        expected.closed_without_intent += i64::from(kind == Kind::SmallTalk);
    }
    let wall = finished.duration_since(start).as_secs_f64();
    let cpu = cpu_seconds(bot).unwrap_or(0.0) - cpu_before;
    let peak = status_kib(bot, "VmHWM:").unwrap_or(0);
    let mix: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {}", k.name())).collect();
    println!("== {}: {n} concurrent conversations ({})", chan.name(), mix.join(", "));
    println!(
        "   {messages} messages, {replies} replies in {wall:.1} s: {:.0} replies/s, {:.0} messages/s (think time {:?} ± 50 %)",
        replies as f64 / wall,
        messages as f64 / wall,
        ctx.think
    );
    match chan {
        Chan::Telegram => {
            println!("   reply latency (getUpdates delivers → sendMessage arrives): {}", summary(latencies));
            println!("   pickup (message queued at the fake → delivered by getUpdates): {}", summary(pickups));
        }
        Chan::Sms => println!("   reply latency (signed POST → TwiML answer): {}", summary(latencies)),
    }
    if chan == Chan::Telegram {
        let (sent, strays) = ctx.fake.sent_counts();
        if strays > 0 {
            errors.push(format!("{strays} of {sent} sendMessage calls went to unknown chats"));
        }
    }
    if deterrence_wrong > 0 {
        errors.push(format!("{deterrence_wrong} conversations did not get the deterrence message exactly once (buyers) or never (others)"));
    }
    println!("   errors: {}", errors.len());
    for e in errors.iter().take(10) {
        println!("     {e}");
    }
    println!(
        "   bot process: peak RSS {:.1} MiB, CPU {cpu:.1} s ({:.2} ms per message); load average {load_before} → {}",
        peak as f64 / 1024.0,
        cpu * 1000.0 / messages.max(1) as f64,
        load_average()
    );
    PhaseResult { chan, expected, errors: errors.len() }
}

fn spawn_bot(opts: &Options, database_url: &str, api_url: &str, sms_listen: &str) -> Result<Child, BoxError> {
    let (program, mut args): (PathBuf, Vec<String>) = match std::env::var_os("REDFLAG_BIN") {
        Some(bin) => (bin.into(), vec!["--database-url".into(), database_url.into(), "bot".into()]),
        None => (std::env::current_exe()?, vec!["serve".into(), "--database-url".into(), database_url.into()]),
    };
    args.extend([
        "--persona".into(),
        opts.persona.display().to_string(),
        "--api-url".into(),
        api_url.into(),
        "--sms-listen".into(),
        sms_listen.into(),
        "--sms-url".into(),
        SMS_PUBLIC_URL.into(),
    ]);
    Ok(Command::new(program)
        .args(args)
        .env("TELEGRAM_BOT_TOKEN", TOKEN)
        .env("REDFLAG_BOT_SECRET", SECRET)
        .env("SMS_AUTH_TOKEN", SMS_AUTH_TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?)
}

/// Stops the bot with SIGTERM (it finishes what is in flight), killing it after 30 seconds.
fn stop_bot(bot: &mut Child) -> Result<(), BoxError> {
    Command::new("kill").args(["-TERM", &bot.id().to_string()]).status()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if let Some(status) = bot.try_wait()? {
            return if status.success() { Ok(()) } else { Err(format!("the bot exited with {status}").into()) };
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bot.kill()?;
    Err("the bot did not stop within 30 s of SIGTERM".into())
}

async fn drive(opts: Options) -> Result<bool, BoxError> {
    let persona = Persona::load(&opts.persona)?;
    let dir = std::env::temp_dir().join(format!("redflag-bot-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let pg_db = format!("redflag_botbench_{}", std::process::id());
    let database_url = match (&opts.database_url, &opts.pg_admin) {
        (Some(url), _) => url.clone(),
        (None, Some(admin)) => {
            redflag_store::testkit::create_database(admin, &pg_db).await;
            redflag_store::testkit::database_url(admin, &pg_db)
        }
        (None, None) => format!("sqlite://{}", dir.join("bot.db").display()),
    };
    let fake = FakeApi::start(TOKEN).await?;
    let sms_addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let gateway = Gateway::new(
        format!("http://{sms_addr}{}", redflag_bot::sms::PATH),
        SMS_PUBLIC_URL.into(),
        SMS_AUTH_TOKEN.into(),
    );
    println!(
        "bot benchmark: {} cores, store {}, persona {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if database_url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" },
        persona.id
    );
    let mut bot = spawn_bot(&opts, &database_url, &fake.url(), &sms_addr.to_string())?;
    let pid = bot.id();
    let started = Instant::now();
    loop {
        if let Some(status) = bot.try_wait()? {
            return Err(format!("the bot exited during start-up with {status}").into());
        }
        if fake.get_updates_calls() > 0 && tokio::net::TcpStream::connect(sms_addr).await.is_ok() {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = bot.kill();
            return Err("the bot did not start within 120 s".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "bot started in {:.2} s; RSS at rest {:.1} MiB",
        started.elapsed().as_secs_f64(),
        status_kib(pid, "VmRSS:").unwrap_or(0) as f64 / 1024.0
    );
    let ctx = Arc::new(Ctx { persona, think: opts.think, seed: opts.seed, fake, gateway });
    let mut results = Vec::new();
    for chan in &opts.channels {
        results.push(phase(&ctx, *chan, opts.conversations, pid).await);
    }
    let peak_all = status_kib(pid, "VmHWM:");
    stop_bot(&mut bot)?;
    if let Some(kib) = peak_all {
        println!("bot process peak RSS over the last phase: {:.1} MiB", kib as f64 / 1024.0);
    }

    // The store must agree with what the conversations saw.
    let store = Store::open(&StoreOptions::url(&database_url)).await?;
    let stats = store.bot_stats(0).await?;
    store.close().await;
    let mut ok = true;
    for r in &results {
        let rows = stats.iter().filter(|s| s.channel == r.chan.name());
        let mut got = Counts::default();
        for s in rows {
            got.conversations += s.counts.conversations;
            got.deterrence += s.counts.deterrence;
            got.help_requests += s.counts.help_requests;
            got.opt_outs += s.counts.opt_outs;
            got.closed_without_intent += s.counts.closed_without_intent;
        }
        let agree = got == r.expected;
        println!(
            "store counters, {}: {} conversations, {} deterrence messages, {} requests for help, {} opt-outs, {} closed without intent: {}",
            r.chan.name(),
            got.conversations,
            got.deterrence,
            got.help_requests,
            got.opt_outs,
            got.closed_without_intent,
            if agree { "as expected".to_string() } else { format!("EXPECTED {:?}", r.expected) }
        );
        ok &= agree && r.errors == 0;
    }
    if opts.database_url.is_none() {
        match &opts.pg_admin {
            Some(admin) => redflag_store::testkit::drop_database(admin, &pg_db),
            None => std::fs::remove_dir_all(&dir)?,
        }
    }
    if opts.pg_admin.is_some() || opts.database_url.is_some() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(ok)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime starts");
    if args.first().map(String::as_str) == Some("serve") {
        return match rt.block_on(serve::run(&args[1..])) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench_bot serve: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let result = parse_options(&args).map(|opts| rt.block_on(drive(opts)));
    match result {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => {
            eprintln!("bench_bot: errors or counters that disagree (see above)");
            ExitCode::FAILURE
        }
        Ok(Err(e)) | Err(e) => {
            eprintln!("bench_bot: {e}");
            ExitCode::FAILURE
        }
    }
}
