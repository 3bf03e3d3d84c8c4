//! End-to-end tests of `redflag case` and `redflag delete`: a crawled demo site, a case exported to a
//! file that verifies, a tampered copy that does not, and a deletion request with its dry run.

use std::io::{Read, Write};

use crate::crawl::{demo, repo, run, temp_dir};

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_exports_to_an_archive_that_verifies_until_it_is_tampered_with() {
    let (_site, server) = demo(0, 6).await;
    let data = temp_dir("case");
    let d = data.display().to_string();
    let cmd = |args: &[&str]| -> Vec<String> {
        let mut v = vec!["--data-dir".to_string(), d.clone()];
        v.extend(args.iter().map(|s| s.to_string()));
        v
    };
    let adapter = repo("config/sites/demo-jobs.toml");
    let crawl = run(cmd(&["crawl", "--site", adapter.to_str().unwrap(), "--base-url", &server.base_url()])).await;
    assert!(crawl.status.success(), "{}", text(&crawl));

    let created = run(cmd(&["case", "create", "Fee scheme"])).await;
    assert!(created.status.success(), "{}", text(&created));
    let id = String::from_utf8_lossy(&created.stdout).trim().to_string();
    let added = run(cmd(&["case", "add", &id, "1", "2"])).await;
    assert!(added.status.success() && text(&added).contains("ad 2: added"), "{}", text(&added));
    let list = run(cmd(&["case", "list"])).await;
    assert!(text(&list).contains("Fee scheme") && text(&list).contains("2 ads"), "{}", text(&list));

    let archive = data.join("case.zip");
    let export = run(cmd(&["case", "export", &id, "--out", archive.to_str().unwrap()])).await;
    assert!(export.status.success(), "{}", text(&export));
    assert!(text(&export).contains("manifest SHA-256"), "{}", text(&export));
    let verify = run(cmd(&["case", "verify", archive.to_str().unwrap()])).await;
    assert!(verify.status.success(), "{}", text(&verify));
    let verified = text(&verify);
    assert!(verified.contains("OK: ") && verified.contains("pictures match the hashes recorded"), "{verified}");

    // A copy with one byte of one evidence page changed fails, naming the file.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
    let tampered = data.join("tampered.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&tampered).unwrap());
    let mut changed = None;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if changed.is_none() && f.name().starts_with("evidence/") {
            bytes[0] ^= 0x20;
            changed = Some(f.name().to_string());
        }
        w.start_file(f.name(), zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
    let bad = run(cmd(&["case", "verify", tampered.to_str().unwrap()])).await;
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let changed = changed.expect("the archive has evidence");
    assert!(text(&bad).contains(&format!("evidence altered: {changed}")), "{}", text(&bad));

    // Deletion on request: refused without --yes; the dry run changes nothing.
    let refused = run(cmd(&["delete", "--ad", "3"])).await;
    assert!(!refused.status.success() && text(&refused).contains("--dry-run"), "{}", text(&refused));
    let dry = run(cmd(&["delete", "--ad", "3", "--dry-run"])).await;
    assert!(text(&dry).contains("would delete 1 ads"), "{}", text(&dry));
    let gone = run(cmd(&["delete", "--ad", "3", "--yes", "--json"])).await;
    assert!(gone.status.success(), "{}", text(&gone));
    let plan: serde_json::Value = serde_json::from_slice(&gone.stdout).unwrap();
    assert_eq!((plan["deleted"].as_bool(), plan["plan"]["ads"][0].as_i64()), (Some(true), Some(3)));
    let again = run(cmd(&["delete", "--ad", "3", "--dry-run"])).await;
    assert!(text(&again).contains("nothing stored matches ad 3"), "{}", text(&again));

    server.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
