//! Case archives: a fresh export verifies on both backends and holds every evidence page and picture
//! byte for byte; every kind of tampering is caught with a message that names the file.

use std::io::{Cursor, Read, Write};

use redflag_core::{AdFields, AdKind};
use redflag_store::ads::{NewAdVersion, upsert_version};
use redflag_store::images::{self, NewImage};
use redflag_store::pages::{NewPage, insert};
use redflag_store::sites::NewSite;
use redflag_store::testkit::{self, TestStore};
use redflag_store::{Role, TriageState};

const HOSTILE: &str = "<script>alert(1)</script> Room \"'&";
/// Bytes that are not valid UTF-8 and not normalised in any way: evidence must survive byte for byte.
const PAGE_A1: &[u8] = b"<html><body>Room for rent \xff\xfe \r\n call 702-555-0148</body></html>";
const PAGE_A2: &[u8] = b"<html><body>Room for rent, now $90</body></html>";
const PAGE_B: &[u8] = b"<html><script>alert(1)</script>other</html>";
/// Two pictures (what they hold does not matter to the archive: it keeps the bytes as received).
const PICTURE_1: &[u8] = b"\x89PNG\r\n\x1a\n first picture";
const PICTURE_2: &[u8] = b"\xff\xd8\xff second picture";

/// Stores a picture and records that version `version` of ad `ad` showed it at `position`.
async fn picture(db: &TestStore, ad: i64, version: i64, position: i64, body: &[u8], ct: &str) -> i64 {
    let mut c = db.conn().await.unwrap();
    let sha = redflag_store::pages::sha256_hex(body);
    let url = format!("http://board.test/p/{}", &sha[..8]);
    let img = NewImage {
        sha256: &sha,
        content_type: ct,
        width: 4,
        height: 3,
        phash: 0xF0F0,
        thumb: &[9; 192],
        url: &url,
        fetched_at: 1_700_000_000_000,
        body,
    };
    let id = images::upsert_image(&mut c, &img).await.unwrap();
    images::attach(&mut c, ad, version, position, &url, Some(id), 1_700_000_000_000, None).await.unwrap();
    id
}

struct Seeded {
    db: TestStore,
    case: i64,
    ads: [i64; 2],
    pictures: [i64; 2],
}

async fn add(db: &TestStore, site: i64, key: &str, title: &str, body: &[u8], at: i64) -> (i64, i64) {
    let mut c = db.conn().await.unwrap();
    let url = format!("http://board.test/{key}");
    let page = NewPage::prepare(site, url.clone(), url.clone(), 200, at, vec![], false, body);
    let pid = insert(&mut c, &page).await.unwrap();
    let f = AdFields { title: title.into(), body: String::from_utf8_lossy(body).into_owned(), ..Default::default() };
    let v = NewAdVersion {
        site_id: site,
        ad_key: key,
        kind: AdKind::Escort,
        url: &url,
        canonical_url: None,
        fields: &f,
        page_id: Some(pid),
        fetched_at: at,
    };
    let (id, _, _) = upsert_version(&mut c, &v).await.unwrap();
    (id, pid)
}

async fn seeded() -> Vec<Seeded> {
    let mut out = Vec::new();
    for db in testkit::all().await {
        let site = db
            .upsert_site(&NewSite { name: "board", kind: AdKind::Escort, country: None, language: None, config: "" })
            .await
            .unwrap();
        let (a, _) = add(&db, site, "a", "Room", PAGE_A1, 1_700_000_000_000).await;
        let (a2, _) = add(&db, site, "a", "Room", PAGE_A2, 1_700_000_100_000).await;
        assert_eq!(a, a2);
        let (b, _) = add(&db, site, "b", HOSTILE, PAGE_B, 1_700_000_000_000).await;
        // Ad a showed one picture in its first version, that one and another in its second, and one that
        // could not be kept.
        let p1 = picture(&db, a, 1, 0, PICTURE_1, "image/png").await;
        assert_eq!(picture(&db, a, 2, 0, PICTURE_1, "image/png").await, p1);
        let p2 = picture(&db, a, 2, 1, PICTURE_2, "image/jpeg").await;
        let mut c = db.conn().await.unwrap();
        images::attach(&mut c, a, 2, 2, "http://board.test/p/x.svg", None, 1, Some("not a JPEG")).await.unwrap();
        drop(c);
        db.upsert_user("maria", "correct horse 42", Role::Analyst, "admin").await.unwrap();
        db.set_triage(a, TriageState::Escalated, Some("maria"), Some("referred"), "ana").await.unwrap();
        let case = db.create_case("Reno <lodging>", Some("maria"), "ana").await.unwrap();
        db.add_case_ad(case, a, "ana").await.unwrap();
        db.add_case_ad(case, b, "ana").await.unwrap();
        db.add_case_note(case, "Handed to <b>prosecutor</b>.", "maria").await.unwrap();
        out.push(Seeded { db, case, ads: [a, b], pictures: [p1, p2] });
    }
    out
}

async fn export(s: &Seeded) -> (Vec<u8>, redflag_case::Exported) {
    let (cur, ex) = redflag_case::export(&s.db, s.case, "ana", Cursor::new(Vec::new())).await.unwrap();
    (cur.into_inner(), ex)
}

/// Every file of an archive, in order.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

/// An archive with the given files.
fn rezip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} in archive")).1
}

#[tokio::test]
async fn a_fresh_export_holds_everything_and_verifies() {
    for s in seeded().await {
        let (zip, ex) = export(&s).await;
        assert_eq!((ex.ads, ex.evidence, ex.pictures, ex.files), (2, 3, 2, 14), "{}", s.db.label);
        let report = redflag_case::verify(Cursor::new(&zip)).unwrap();
        assert!(report.ok(), "{:?}", report.problems);
        assert_eq!((report.files_checked, report.evidence_checked, report.pictures_checked), (13, 3, 2));
        assert_eq!(report.manifest_sha256.as_deref(), Some(ex.manifest_sha256.as_str()));

        let files = entries(&zip);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        let [a, b] = s.ads;
        for want in ["manifest.json", "summary.html", "case.json", "triage.json", "audit.json"] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        assert!(names.contains(&format!("ads/{a}/versions.json").as_str()));
        // Evidence is byte for byte what the crawler received, and the manifest says where and when.
        let evidence: Vec<&[u8]> =
            files.iter().filter(|(n, _)| n.starts_with("evidence/")).map(|(_, b)| b.as_slice()).collect();
        assert_eq!(evidence, [PAGE_A1, PAGE_A2, PAGE_B]);
        let manifest: serde_json::Value = serde_json::from_slice(file(&files, "manifest.json")).unwrap();
        let first = manifest["files"].as_array().unwrap().iter().find(|f| f["evidence"].is_object()).unwrap();
        assert_eq!(first["evidence"]["url"], "http://board.test/a");
        assert_eq!(first["evidence"]["fetched_at_utc"], "2023-11-14T22:13:20Z");
        assert_eq!(first["evidence"]["sha256_at_fetch"], redflag_store::pages::sha256_hex(PAGE_A1));
        assert_eq!(first["sha256"], first["evidence"]["sha256_at_fetch"]);

        // Pictures too, under their ad, with where and when they were first fetched.
        let [p1, p2] = s.pictures;
        let (f1, f2) = (format!("ads/{a}/images/picture-{p1}.png"), format!("ads/{a}/images/picture-{p2}.jpg"));
        assert_eq!((file(&files, &f1), file(&files, &f2)), (PICTURE_1, PICTURE_2));
        assert!(!names.iter().any(|n| n.starts_with(&format!("ads/{b}/images/"))), "{names:?}");
        let entry = manifest["files"].as_array().unwrap().iter().find(|f| f["path"] == f1.as_str()).unwrap();
        assert_eq!(
            entry["picture"]["url"],
            format!("http://board.test/p/{}", &redflag_store::pages::sha256_hex(PICTURE_1)[..8])
        );
        assert_eq!(entry["picture"]["sha256_at_fetch"], redflag_store::pages::sha256_hex(PICTURE_1));
        assert_eq!(
            (entry["picture"]["ad"].as_i64(), entry["picture"]["content_type"].as_str()),
            (Some(a), Some("image/png"))
        );
        assert_eq!(entry["picture"]["fetched_at_utc"], "2023-11-14T22:13:20Z");

        let versions: serde_json::Value =
            serde_json::from_slice(file(&files, &format!("ads/{a}/versions.json"))).unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 2);
        assert_eq!(versions[0]["pictures"].as_array().unwrap().len(), 1);
        assert_eq!(versions[1]["pictures"][1]["file"], f2.as_str());
        assert_eq!(versions[1]["pictures"][2]["error"], "not a JPEG");
        assert!(versions[1]["pictures"][2]["file"].is_null());
        let triage: serde_json::Value = serde_json::from_slice(file(&files, "triage.json")).unwrap();
        assert_eq!(triage[0]["now"]["state"], "escalated");
        assert_eq!(triage[0]["history"][0]["action"], "triage.set");
        let audit = String::from_utf8(file(&files, "audit.json").to_vec()).unwrap();
        assert!(audit.contains("case.create") && audit.contains("triage.set"));
        let case: serde_json::Value = serde_json::from_slice(file(&files, "case.json")).unwrap();
        assert_eq!(case["notes"][0]["text"], "Handed to <b>prosecutor</b>.");
        assert_eq!(case["ads"][1]["ad"], b);

        // The summary is for people: escaped, no script, nothing loaded from elsewhere.
        let html = String::from_utf8(file(&files, "summary.html").to_vec()).unwrap();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Room &quot;&#39;&amp;"));
        assert!(html.contains("Reno &lt;lodging&gt;") && html.contains("Handed to &lt;b&gt;prosecutor&lt;/b&gt;."));
        assert!(!html.to_lowercase().contains("<script") && !html.contains("src="), "{html}");
        assert!(html.contains("default-src 'none'"));
        assert!(html.contains(&f1) && html.contains(&f2), "the summary lists the pictures");

        // The export is audited with the manifest's hash.
        let log = s.db.audit_for(&[format!("case:{}", s.case)]).await.unwrap();
        let entry = log.last().unwrap();
        assert_eq!((entry.action.as_str(), entry.actor.as_str()), ("case.export", "ana"));
        assert!(entry.detail.as_deref().unwrap().contains(&ex.manifest_sha256));
    }
}

#[tokio::test]
async fn tampered_archives_fail_with_a_clear_message() {
    let s = seeded().await.remove(0);
    let (zip, _) = export(&s).await;
    let files = entries(&zip);
    let problems = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        let r = redflag_case::verify(Cursor::new(rezip(files))).unwrap();
        assert!(!r.ok());
        r.problems.iter().map(ToString::to_string).collect()
    };
    let evidence = files.iter().position(|(n, _)| n.starts_with("evidence/")).unwrap();
    let ev_name = files[evidence].0.clone();

    // One changed byte in an evidence page: it matches neither the manifest nor the fetch-time hash.
    let mut t = files.clone();
    t[evidence].1[20] ^= 1;
    let p = problems(&t);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with(&format!("altered: {ev_name} has SHA-256")), "{p:?}");
    assert!(p[1].starts_with(&format!("evidence altered: {ev_name} (http://board.test/a)")), "{p:?}");

    // The same change with the manifest's file hash "fixed" still fails against the fetch-time hash.
    let mut m: serde_json::Value = serde_json::from_slice(file(&t, "manifest.json")).unwrap();
    let entry = m["files"].as_array_mut().unwrap().iter_mut().find(|f| f["path"] == ev_name.as_str()).unwrap();
    entry["sha256"] = redflag_store::pages::sha256_hex(&t[evidence].1).into();
    let mi = t.iter().position(|(n, _)| n == "manifest.json").unwrap();
    t[mi].1 = serde_json::to_vec_pretty(&m).unwrap();
    let p = problems(&t);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("recorded when it was fetched"), "{p:?}");

    // One changed byte in a picture: the same two failures, naming the picture and its address.
    let pic = files.iter().position(|(n, _)| n.contains("/images/picture-")).unwrap();
    let pic_name = files[pic].0.clone();
    let mut t = files.clone();
    t[pic].1[9] ^= 1;
    let p = problems(&t);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with(&format!("altered: {pic_name} has SHA-256")), "{p:?}");
    assert!(p[1].starts_with(&format!("evidence altered: {pic_name} (http://board.test/p/")), "{p:?}");

    // A changed manifest entry.
    let mut t = files.clone();
    let mut m: serde_json::Value = serde_json::from_slice(file(&t, "manifest.json")).unwrap();
    m["files"][2]["sha256"] = "0".repeat(64).into();
    let path = m["files"][2]["path"].as_str().unwrap().to_string();
    t[mi].1 = serde_json::to_vec_pretty(&m).unwrap();
    assert_eq!(
        problems(&t),
        [format!(
            "altered: {path} has SHA-256 {}, the manifest lists {}",
            redflag_store::pages::sha256_hex(file(&files, &path)),
            "0".repeat(64)
        )]
    );

    // A removed file.
    let t: Vec<_> = files.iter().filter(|(n, _)| n != "audit.json").cloned().collect();
    assert_eq!(problems(&t), ["missing: audit.json is listed in the manifest but not in the archive"]);

    // An added file.
    let mut t = files.clone();
    t.push(("evidence/page-999.raw".into(), b"planted".to_vec()));
    assert_eq!(problems(&t), ["extra: evidence/page-999.raw is in the archive but not listed in the manifest"]);

    // No manifest at all, and a file that is not an archive.
    let t: Vec<_> = files.iter().filter(|(n, _)| n != "manifest.json").cloned().collect();
    assert_eq!(problems(&t), ["the archive has no manifest.json"]);
    assert!(redflag_case::verify(Cursor::new(b"not a zip".to_vec())).is_err());
}

#[tokio::test]
async fn an_empty_case_is_not_exported_and_files_appear_only_when_complete() {
    let s = seeded().await.remove(0);
    let empty = s.db.create_case("Empty", None, "ana").await.unwrap();
    let e = redflag_case::export(&s.db, empty, "ana", Cursor::new(Vec::new())).await.unwrap_err();
    assert!(e.to_string().contains("no ads"), "{e}");
    let dir = std::env::temp_dir().join(format!("redflag_case_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("case.zip");
    assert!(redflag_case::export_to_file(&s.db, empty, "ana", &out).await.is_err());
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none(), "no partial file is left");
    let ex = redflag_case::export_to_file(&s.db, s.case, "ana", &out).await.unwrap();
    let r = redflag_case::verify_file(&out).unwrap();
    assert!(r.ok() && r.files_checked + 1 == ex.files, "{:?}", r.problems);
    std::fs::remove_dir_all(&dir).unwrap();
}
