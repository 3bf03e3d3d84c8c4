//! Contacts and networks on CityBoard (`data/netsite/`), a classifieds site written apart from Redflag
//! and used only to measure: crawl it from a plain static file server, analyse it against its ground
//! truth, and hold the figures reached (see `docs/benchmarks.md`).

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

#[tokio::test(flavor = "multi_thread")]
async fn cityboard_contacts_and_networks_hold_their_figures() {
    let base = static_server(repo("data/netsite/site")).await;
    let data =
        std::env::temp_dir().join(format!("redflag_e2e_netsite_{}_{}", std::process::id(), redflag_store::now_ms()));
    std::fs::create_dir_all(&data).unwrap();
    let data_s = data.display().to_string();
    let run = move |args: Vec<String>| {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let crawl: Vec<String> = [
        "--data-dir",
        &data_s,
        "crawl",
        "--site",
        repo("data/netsite/cityboard-jobs.toml").to_str().unwrap(),
        "--site",
        repo("data/netsite/cityboard-services.toml").to_str().unwrap(),
        "--base-url",
        &base,
    ]
    .map(String::from)
    .to_vec();
    tokio::task::spawn_blocking(move || {
        run(crawl);
        let out = run([
            "--data-dir",
            &data_s,
            "analyze",
            "--json",
            "--truth",
            repo("data/netsite/truth.json").to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let t = &v["truth"];
        assert_eq!(t["ads_matched"], 300, "{t}");
        let f = |k: &str| t[k].as_f64().unwrap();
        // The figures reached (docs/benchmarks.md); the goals are 0.98 and 0.95.
        assert!(f("phone_f1") >= 0.97, "phone F1 {}: {t}", f("phone_f1"));
        assert!(f("phone_precision") >= 0.95, "{t}");
        assert!(f("pair_precision") >= 0.79, "pair precision {}: {t}", f("pair_precision"));
        assert!(f("pair_precision_without_same_company") >= 0.89, "{t}");
        let together = |a: &str, b: &str| t[a].as_f64().unwrap() / t[b].as_f64().unwrap().max(1.0);
        assert!(together("same_phone_together", "same_phone_pairs") >= 0.9, "{t}");
        assert!(together("template_together", "template_pairs") >= 0.9, "{t}");
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
