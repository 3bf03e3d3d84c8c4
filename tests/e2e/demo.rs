//! End-to-end tests of `redflag demo`: the whole pipeline on the bundled sample site, checked against the
//! site's ground truth through the store, the index, the export, the search command and the dashboard.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use redflag_demosite::{DemoConfig, DemoSite};

const BIN: &str = env!("CARGO_BIN_EXE_redflag");

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("redflag_e2e_demo_{tag}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn redflag(data: &PathBuf, args: &[&str]) -> std::process::Output {
    let out = Command::new(BIN).arg("--data-dir").arg(data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "redflag {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// ROC-AUC by the rank-sum formula, ties counted half.
fn roc_auc(scored: &[(f64, bool)]) -> f64 {
    let pos: Vec<f64> = scored.iter().filter(|s| s.1).map(|s| s.0).collect();
    let neg: Vec<f64> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    let mut wins = 0.0;
    for p in &pos {
        for n in &neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()) as f64
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_stores_indexes_exports_and_ranks_every_ad_of_the_sample_site() {
    let data = temp_dir("no_serve");
    let out = redflag(&data, &["demo", "--no-serve", "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary is JSON");
    let site = DemoSite::generate(&DemoConfig::default());
    let truth = site.truth();
    assert_eq!(summary["truth_ads"].as_u64().unwrap() as usize, truth.len());
    assert_eq!(summary["stored_ads"].as_u64().unwrap() as usize, truth.len(), "one stored ad per demo ad: {summary}");
    assert_eq!(summary["indexed_ads"].as_u64().unwrap() as usize, truth.len());

    // Every ad of the site is in the store, once, under its canonical path.
    let store = redflag_store::Store::open(&redflag_store::StoreOptions::data_dir(&data)).await.unwrap();
    let export_out = redflag(&data, &["export", "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = String::from_utf8(export_out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each export line is a JSON object"))
        .collect();
    assert_eq!(rows.len(), truth.len());
    let fields = [
        "url",
        "site",
        "kind",
        "title",
        "body",
        "city",
        "phones",
        "emails",
        "handles",
        "price",
        "posted_at",
        "risk",
        "indicators",
        "cluster",
        "fetched_at",
        "sha256",
    ];
    let by_path: HashMap<String, &serde_json::Value> =
        rows.iter().map(|r| (path_of(r["url"].as_str().unwrap()), r)).collect();
    assert_eq!(by_path.len(), rows.len(), "each ad has its own URL");
    let index = redflag_index::AdIndex::open(&data.join("index")).unwrap();
    let mut scored = Vec::new();
    let mut by_kind = HashMap::new();
    let mut phones_found = 0;
    for t in truth {
        let row = by_path.get(&t.path).unwrap_or_else(|| panic!("{} missing from the export", t.path));
        for f in fields {
            assert!(row.get(f).is_some(), "export row lacks {f}: {row}");
        }
        assert_eq!(row["kind"].as_str().unwrap(), t.kind.as_str());
        assert_eq!(row["sha256"].as_str().unwrap().len(), 64);
        let risk = row["risk"].as_u64().expect("every ad is scored");
        assert!(risk <= 100);
        for ind in row["indicators"].as_array().unwrap() {
            assert!(ind["id"].is_string() && ind["evidence"].is_array(), "{ind}");
        }
        let phones: HashSet<&str> = row["phones"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert!(phones.iter().all(|p| p.starts_with('+')), "E.164: {phones:?}");
        phones_found += t.phones.iter().filter(|p| phones.contains(p.as_str())).count();
        let id = row["id"].as_i64().unwrap();
        assert!(index.contains(id).unwrap(), "ad {id} ({}) not in the index", t.path);
        scored.push((risk as f64, t.risky));
        by_kind.entry(t.kind.as_str()).or_insert_with(Vec::new).push((risk as f64, t.risky));
    }
    // Networks: every planted network is one cluster, and no cluster mixes networks or strays.
    let mut cluster_of_network: HashMap<&str, i64> = HashMap::new();
    let mut network_of_cluster: HashMap<i64, Option<&str>> = HashMap::new();
    for t in truth {
        let cluster = by_path[&t.path]["cluster"].as_i64();
        if let Some(net) = t.network.as_deref() {
            let c = cluster.unwrap_or_else(|| panic!("{} of network {net} is in no cluster", t.path));
            assert_eq!(*cluster_of_network.entry(net).or_insert(c), c, "network {net} split across clusters");
        }
        if let Some(c) = cluster {
            let seen = network_of_cluster.entry(c).or_insert(t.network.as_deref());
            assert_eq!(*seen, t.network.as_deref(), "cluster {c} mixes ads of different networks");
        }
    }
    assert!(cluster_of_network.len() >= 5, "the sample site plants networks");
    // A planted network whose ads all name one employer (a staffing company reposting one job) is a
    // same-advertiser group; every other one is a network of concern. Every grouped ad says why.
    let mut companies: HashMap<&str, HashSet<Option<&str>>> = HashMap::new();
    for t in truth {
        if let Some(net) = t.network.as_deref() {
            companies.entry(net).or_default().insert(t.company.as_deref());
        }
    }
    for t in truth {
        let row = by_path[&t.path];
        let Some(net) = t.network.as_deref() else {
            assert!(row["cluster_kind"].is_null(), "{} is in no planted network: {row}", t.path);
            continue;
        };
        let one_employer = companies[net].len() == 1 && !companies[net].contains(&None);
        let want = if one_employer { "same_advertiser" } else { "network" };
        assert_eq!(row["cluster_kind"], want, "{} of {net}", t.path);
        let links = row["links"].as_array().unwrap();
        assert!(!links.is_empty(), "{} has no link: {row}", t.path);
        for l in links {
            assert!(
                ["phone", "email", "handle", "template", "image", "job_escort"]
                    .contains(&l["reason"].as_str().unwrap()),
                "{l}"
            );
            let strength = l["strength"].as_f64().unwrap();
            assert!(strength > 0.0 && strength <= 1.0, "{l}");
        }
    }
    // Pictures: every ad's pictures are in the export, kept with their hashes; ads showing copies of one
    // picture are image-linked (directly or through the picture's first ad), and no image link joins
    // ads showing different pictures.
    let truth_of: HashMap<i64, &redflag_demosite::TruthAd> =
        truth.iter().map(|t| (by_path[&t.path]["id"].as_i64().unwrap(), t)).collect();
    let shares =
        |a: &redflag_demosite::TruthAd, b: &redflag_demosite::TruthAd| a.images.iter().any(|p| b.images.contains(p));
    let mut root: HashMap<i64, i64> = truth_of.keys().map(|&id| (id, id)).collect();
    fn find(root: &mut HashMap<i64, i64>, x: i64) -> i64 {
        let p = root[&x];
        if p == x {
            return x;
        }
        let r = find(root, p);
        root.insert(x, r);
        r
    }
    let mut image_links = 0;
    for t in truth {
        let row = by_path[&t.path];
        let pictures = row["images"].as_array().unwrap();
        assert!(pictures.len() >= t.images.len(), "{}: {row}", t.path);
        for p in pictures {
            assert!(p["error"].is_null(), "{}: every demo picture is kept: {p}", t.path);
            assert_eq!(p["sha256"].as_str().unwrap().len(), 64);
            assert_eq!(p["phash"].as_str().unwrap().len(), 16);
        }
        let id = row["id"].as_i64().unwrap();
        for l in row["links"].as_array().unwrap().iter().filter(|l| l["reason"] == "image") {
            let other = l["ad"].as_i64().unwrap();
            assert!(shares(t, truth_of[&other]), "{} and ad {other} show different pictures: {l}", t.path);
            let (a, b) = (find(&mut root, id), find(&mut root, other));
            root.insert(a.max(b), a.min(b));
            image_links += 1;
        }
    }
    let (mut pairs, mut linked) = (0, 0);
    let ids: Vec<i64> = truth_of.keys().copied().collect();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            if shares(truth_of[&a], truth_of[&b]) {
                pairs += 1;
                linked += usize::from(find(&mut root, a) == find(&mut root, b));
            }
        }
    }
    assert!(image_links > 0 && pairs >= 100, "the sample site plants picture reuse: {pairs} pairs");
    assert!(linked * 100 >= pairs * 95, "{linked} of {pairs} pairs showing one picture are image-linked");
    // Recruitment-to-exploitation pairs: every planted job ad and escort ad sharing a number carries a
    // job_escort link on that number, and no other ad carries one.
    let mut job_escort_pairs = 0;
    for t in truth {
        let row = by_path[&t.path];
        let cross: Vec<&str> = row["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["reason"] == "job_escort")
            .map(|l| l["contact"].as_str().unwrap())
            .collect();
        match t.job_escort_contact.as_deref() {
            Some(phone) => {
                assert!(!cross.is_empty() && cross.iter().all(|c| *c == phone), "{}: {cross:?}, want {phone}", t.path);
                job_escort_pairs += usize::from(t.kind == redflag_core::AdKind::Job);
            }
            None => assert!(cross.is_empty(), "{} is flagged job ↔ escort: {cross:?}", t.path),
        }
    }
    assert!(job_escort_pairs >= 2, "the sample site plants job-escort pairs");
    // Posting dates are RFC 3339, whatever form the page wrote them in; the text stays beside them.
    for t in truth {
        let row = by_path[&t.path];
        let posted = row["posted_at"].as_str().unwrap_or_else(|| panic!("{}: unread date {row}", t.path));
        assert!(
            posted.starts_with(&t.posted),
            "{}: {posted} from {:?}, want {}",
            t.path,
            row["posted_at_text"],
            t.posted
        );
    }
    let planted: usize = truth.iter().map(|t| t.phones.len()).sum();
    assert!(phones_found * 10 >= planted * 9, "found {phones_found} of {planted} planted phone numbers");
    for (kind, s) in &by_kind {
        let auc = roc_auc(s);
        assert!(auc > 0.9, "risky {kind} ads must rank above benign ones: ROC-AUC {auc:.3}");
    }
    let auc = roc_auc(&scored);
    assert!(auc > 0.9, "risky ads must rank above benign ones in the lead list: ROC-AUC {auc:.3}");
    assert_eq!(store.ad_count().await.unwrap() as usize, truth.len());

    // The search command finds an ad by a phone number written another way.
    let with_phone = truth.iter().find(|t| t.phones.iter().any(|p| p.starts_with("+1"))).unwrap();
    let digits = &with_phone.phones.iter().find(|p| p.starts_with("+1")).unwrap()[2..];
    let dashed = format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]);
    let found = redflag(&data, &["search", "--json", &dashed]);
    let res: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert!(res["total"].as_u64().unwrap() >= 1, "search {dashed}: {res}");
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_served_dashboard_shows_the_lead_list() {
    let data = temp_dir("serve");
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(&data)
        .args(["demo", "--addr", "127.0.0.1:0", "--escort-ads", "60", "--job-ads", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let (mut base, mut link) = (None, None);
    while base.is_none() || link.is_none() {
        let line = rx.recv_timeout(Duration::from_secs(600)).expect("demo prints the dashboard address and a login");
        if let Some(rest) = line.strip_prefix("Dashboard:") {
            base = Some(rest.trim().trim_end_matches('/').to_string());
        }
        if let Some(i) = line.find("/login/link/") {
            link = Some(line[i..].split_whitespace().next().unwrap().to_string());
        }
    }
    let (base, link) = (base.unwrap(), link.unwrap());
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // Without a session the leads redirect to the login page.
    let anon = http.get(format!("{base}/")).send().await.unwrap();
    assert!(anon.status().is_redirection(), "{}", anon.status());

    // The one-time login link printed by the demo opens a session.
    let login = http.get(format!("{base}{link}")).send().await.unwrap();
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(!cookie.is_empty(), "login link sets a session cookie");
    let page = http.get(format!("{base}/")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/ads/"), "the lead list links ads");
    let risks: Vec<u32> = html
        .match_indices("title=\"risk ")
        .filter_map(|(i, m)| html[i + m.len()..].split(' ').next()?.parse().ok())
        .collect();
    assert!(risks.len() >= 10, "lead rows carry their risk: {risks:?}");
    assert!(risks.windows(2).all(|w| w[0] >= w[1]), "sorted by risk: {risks:?}");

    // Stopped the way a person stops it (Ctrl-C, or SIGTERM from a service manager), the demo disables
    // the login it printed.
    drop(http);
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if std::time::Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the demo did not stop on SIGTERM");
    }
    let users = String::from_utf8(redflag(&data, &["user", "list"]).stdout).unwrap();
    let demo = users.lines().find(|l| l.starts_with("demo ")).unwrap_or_else(|| panic!("{users}"));
    assert!(demo.ends_with("disabled"), "the demo login outlived the demo: {demo:?}");
    std::fs::remove_dir_all(&data).unwrap();
}
