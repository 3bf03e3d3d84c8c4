//! Contacts and networks on CityBoard (`data/netsite/`) and Corkline (`data/netsite2/`), classifieds
//! sites written apart from Redflag and used to measure: crawl each from a plain static file server,
//! analyse it against its ground truth, and hold the figures reached (see `docs/benchmarks.md`).

use std::path::{Path, PathBuf};
use std::process::Command;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_redflag");

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Serves the files under `root` on 127.0.0.1 like a plain static web server; returns its base URL.
async fn static_server(root: PathBuf) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let root = root.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]);
                let path = head.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
                let file = if path.contains("..") { None } else { Some(root.join(path.trim_start_matches('/'))) };
                let body = file.filter(|f| f.is_file()).and_then(|f| std::fs::read(f).ok());
                let (status, kind, body) = match body {
                    Some(b) if path.ends_with(".css") => ("200 OK", "text/css", b),
                    Some(b) => ("200 OK", "text/html; charset=utf-8", b),
                    None => ("404 Not Found", "text/plain", b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
            });
        }
    });
    format!("http://{addr}/")
}

/// Serves `site` (under `data/`), crawls it with `adapters` and analyses it against `truth`; returns the
/// `truth` object of `analyze --json`.
async fn crawl_and_measure(site: &str, adapters: &[&str], truth: &str) -> serde_json::Value {
    let base = static_server(repo(site)).await;
    let data = std::env::temp_dir().join(format!(
        "redflag_e2e_{}_{}_{}",
        site.replace('/', "_"),
        std::process::id(),
        redflag_store::now_ms()
    ));
    std::fs::create_dir_all(&data).unwrap();
    let data_s = data.display().to_string();
    let run = move |args: Vec<String>| {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let mut crawl: Vec<String> = ["--data-dir", &data_s, "crawl", "--base-url", &base].map(String::from).to_vec();
    for a in adapters {
        crawl.push("--site".into());
        crawl.push(repo(a).display().to_string());
    }
    let truth = repo(truth).display().to_string();
    let data_c = data.clone();
    let v = tokio::task::spawn_blocking(move || {
        run(crawl);
        let out = run(["--data-dir", &data_s, "analyze", "--json", "--truth", &truth].map(String::from).to_vec());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["truth"].clone()
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&data_c);
    v
}

fn f(t: &serde_json::Value, k: &str) -> f64 {
    t[k].as_f64().unwrap_or_else(|| panic!("{k} missing: {t}"))
}

fn together(t: &serde_json::Value, a: &str, b: &str) -> f64 {
    f(t, a) / f(t, b).max(1.0)
}

#[tokio::test(flavor = "multi_thread")]
async fn cityboard_contacts_and_networks_hold_their_figures() {
    let t = crawl_and_measure(
        "data/netsite/site",
        &["data/netsite/cityboard-jobs.toml", "data/netsite/cityboard-services.toml"],
        "data/netsite/truth.json",
    )
    .await;
    assert_eq!(t["ads_matched"], 300, "{t}");
    // The figures reached on this development set (docs/benchmarks.md); the goals are 0.98 and 0.95.
    assert!(f(&t, "phone_f1") >= 0.99, "phone F1 {}: {t}", f(&t, "phone_f1"));
    assert!(f(&t, "phone_precision") >= 0.99, "{t}");
    assert!(f(&t, "pair_precision") >= 0.99, "pair precision {}: {t}", f(&t, "pair_precision"));
    assert!(together(&t, "same_phone_together", "same_phone_pairs") >= 0.99, "{t}");
    assert!(together(&t, "template_together", "template_pairs") >= 0.9, "{t}");
    assert!(together(&t, "network_together", "network_pairs") >= 0.9, "{t}");
}

/// Corkline (`data/netsite2/`), a second site written apart from Redflag and measured once, blind: the
/// figures of that one measurement are held here.
#[tokio::test(flavor = "multi_thread")]
async fn corkline_contacts_and_networks_hold_their_blind_figures() {
    let t = crawl_and_measure(
        "data/netsite2/site",
        &["data/netsite2/corkline-jobs.toml", "data/netsite2/corkline-companions.toml"],
        "data/netsite2/truth.json",
    )
    .await;
    assert_eq!(t["ads_matched"], 400, "{t}");
    assert!(f(&t, "phone_f1") >= 0.98, "phone F1 {}: {t}", f(&t, "phone_f1"));
    assert!(f(&t, "phone_precision") >= 0.99, "{t}");
    // 0.772 measured blind; 0.972 leaving aside pairs of one named advertiser (agencies posting for
    // several client companies, groups where only some ads name the employer).
    assert!(f(&t, "pair_precision") >= 0.77, "pair precision {}: {t}", f(&t, "pair_precision"));
    assert!(f(&t, "pair_precision_without_same_company") >= 0.97, "{t}");
    assert!(together(&t, "same_phone_together", "same_phone_pairs") >= 0.92, "{t}");
    assert!(together(&t, "template_together", "template_pairs") >= 0.99, "{t}");
    assert!(together(&t, "network_together", "network_pairs") >= 0.9, "{t}");
}
