//! Building a case archive: read the case, its ads and their evidence (pages and pictures) from the
//! store, hash every file, write the summary and the manifest, zip it all (off the async runtime), and
//! audit the export.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Seek, Write};
use std::path::Path;

use redflag_core::time::rfc3339;
use redflag_store::{
    AdRow, AdVersionRow, AuditEntry, Case, CaseNote, EntityRow, ImageBody, LinkRow, Page, ScoreRow, Store, TriageRow,
    VersionImageRow,
};
use serde_json::{Value, json};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::manifest::{EvidenceMeta, FORMAT, FileEntry, MANIFEST_PATH, Manifest, PictureMeta, sha256_hex};
use crate::{Error, Result, summary};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The case.
    pub case_id: i64,
    /// Ads in the archive.
    pub ads: usize,
    /// Evidence pages in the archive.
    pub evidence: usize,
    /// Ad pictures in the archive (a picture two ads of the case showed counts twice: once per ad).
    pub pictures: usize,
    /// Files in the archive, the manifest included.
    pub files: usize,
    /// Total size of the files before compression, in bytes.
    pub bytes: u64,
    /// The SHA-256 of `manifest.json`, also recorded in the export's audit entry.
    pub manifest_sha256: String,
}

/// One ad of the case with everything the archive shows of it.
pub(crate) struct AdBundle {
    pub ad: AdRow,
    /// Oldest first.
    pub versions: Vec<AdVersionRow>,
    pub urls: Vec<String>,
    pub entities: Vec<EntityRow>,
    pub score: Option<ScoreRow>,
    pub links: Vec<LinkRow>,
    /// The pictures every version showed, oldest version first.
    pub pictures: Vec<VersionImageRow>,
    pub triage: Option<TriageRow>,
    pub added_by: String,
    pub added_at: i64,
}

/// Everything read from the store for one archive.
pub(crate) struct Bundle {
    pub case: Case,
    pub ads: Vec<AdBundle>,
    pub notes: Vec<CaseNote>,
    /// Evidence pages by id, with the ads of the case each is evidence for.
    pub pages: BTreeMap<i64, (Page, BTreeSet<i64>)>,
    /// The stored pictures the ads showed, by id.
    pub images: BTreeMap<i64, ImageBody>,
    pub audit: Vec<AuditEntry>,
    pub exported_at: i64,
    pub exported_by: String,
}

/// The archive path of an evidence page.
pub(crate) fn evidence_path(page_id: i64) -> String {
    // `.raw`, not `.html`: a hostile page must not run in the browser of whoever opens the archive.
    format!("evidence/page-{page_id}.raw")
}

/// The archive path of a picture ad `ad_id` showed: under the ad's folder, with the extension of the
/// raster type its bytes proved.
pub(crate) fn picture_path(ad_id: i64, image_id: i64, content_type: &str) -> String {
    let ext = match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => "raw",
    };
    format!("ads/{ad_id}/images/picture-{image_id}.{ext}")
}

/// The distinct stored pictures an ad showed, in the order first shown.
pub(crate) fn pictures_of(a: &AdBundle) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for p in &a.pictures {
        if let Some(id) = p.image.image_id
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

async fn gather(store: &Store, case_id: i64, actor: &str) -> Result<Bundle> {
    let case = store.case(case_id).await?;
    let members = store.case_ads(case_id).await?;
    if members.is_empty() {
        return Err(Error::Empty(case_id));
    }
    let mut ads = Vec::with_capacity(members.len());
    let mut pages: BTreeMap<i64, (Page, BTreeSet<i64>)> = BTreeMap::new();
    let mut images: BTreeMap<i64, ImageBody> = BTreeMap::new();
    for m in members {
        let id = m.ad_id;
        let ad = store.ad(id).await?;
        let mut versions = store.ad_versions(id).await?;
        versions.sort_by_key(|v| v.version);
        let urls = store.ad_urls(id).await?;
        // Every stored fetch of the ad: the pages its versions name, and refetches of its URLs that
        // changed nothing (stored as pages, without a new version).
        for url in &urls {
            for p in store.pages_for_url(url).await? {
                pages.entry(p.id).or_insert_with(|| (p, BTreeSet::new())).1.insert(id);
            }
        }
        for pid in versions.iter().filter_map(|v| v.page_id) {
            if let Some(entry) = pages.get_mut(&pid) {
                entry.1.insert(id);
                continue;
            }
            match store.page(pid).await {
                Ok(p) => {
                    pages.insert(pid, (p, BTreeSet::from([id])));
                }
                // Purged evidence: the version still names its page id; the archive has no file for it.
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e.into()),
            }
        }
        let pictures = store.ad_version_images(id).await?;
        for image_id in pictures.iter().filter_map(|p| p.image.image_id) {
            if !images.contains_key(&image_id)
                && let Some(body) = store.image(image_id).await?
            {
                images.insert(image_id, body);
            }
        }
        ads.push(AdBundle {
            pictures,
            entities: store.entities(id).await?,
            score: store.latest_score(id).await?,
            links: store.links_of(id).await?,
            triage: store.triage(id).await?,
            ad,
            versions,
            urls,
            added_by: m.added_by,
            added_at: m.added_at,
        });
    }
    let mut targets = vec![format!("case:{case_id}")];
    targets.extend(ads.iter().map(|a| format!("ad:{}", a.ad.id)));
    let audit = store.audit_for(&targets).await?;
    let notes = store.case_notes(case_id).await?;
    Ok(Bundle {
        case,
        ads,
        notes,
        pages,
        images,
        audit,
        exported_at: redflag_store::now_ms(),
        exported_by: actor.to_string(),
    })
}

fn time_json(ms: i64) -> Value {
    json!(rfc3339(ms))
}

fn ad_json(a: &AdBundle) -> Value {
    let ad = &a.ad;
    json!({
        "id": ad.id,
        "site": ad.site,
        "ad_key": ad.ad_key,
        "kind": ad.kind.as_str(),
        "url": ad.url,
        "urls": a.urls,
        "version": ad.version,
        "first_seen": ad.first_seen,
        "first_seen_utc": time_json(ad.first_seen),
        "last_seen": ad.last_seen,
        "last_seen_utc": time_json(ad.last_seen),
        "risk": ad.risk,
        "network": ad.cluster_id,
        "country": ad.country,
        "language": ad.language,
        "fields": ad.fields,
        "evidence_page": ad.page_id,
        "entities": a.entities,
        "score": a.score.as_ref().map(|s| json!({
            "model": s.model,
            "version": s.version,
            "probability": s.probability,
            "risk": s.risk,
            "verdict": s.verdict,
            "language": s.language,
            "language_supported": s.language_supported,
            "indicators": s.indicators,
            "scored_at": s.scored_at,
            "scored_at_utc": time_json(s.scored_at),
        })),
        "links": a.links.iter().map(|l| l.to_json(ad.id)).collect::<Vec<_>>(),
        "added_to_case_by": a.added_by,
        "added_to_case_at": a.added_at,
    })
}

fn versions_json(a: &AdBundle, b: &Bundle) -> Value {
    let pages = &b.pages;
    Value::Array(
        a.versions
            .iter()
            .map(|v| {
                let pictures: Vec<Value> = a
                    .pictures
                    .iter()
                    .filter(|p| p.version == v.version)
                    .map(|p| {
                        let i = &p.image;
                        let file = i
                            .image_id
                            .and_then(|id| b.images.get(&id).map(|body| picture_path(a.ad.id, id, &body.content_type)));
                        json!({
                            "position": i.position,
                            "url": i.url,
                            "picture": i.image_id,
                            "file": file,
                            "sha256": i.sha256,
                            "phash": i.phash.map(|h| format!("{h:016x}")),
                            "error": i.error,
                        })
                    })
                    .collect();
                json!({
                    "version": v.version,
                    "fetched_at": v.fetched_at,
                    "fetched_at_utc": time_json(v.fetched_at),
                    "evidence_page": v.page_id,
                    "evidence_file": v.page_id.filter(|p| pages.contains_key(p)).map(evidence_path),
                    "fields": v.fields,
                    "pictures": pictures,
                })
            })
            .collect(),
    )
}

fn triage_json(b: &Bundle) -> Value {
    Value::Array(
        b.ads
            .iter()
            .map(|a| {
                let target = format!("ad:{}", a.ad.id);
                let history: Vec<&AuditEntry> = b
                    .audit
                    .iter()
                    .filter(|e| e.action == "triage.set" && e.target.as_deref() == Some(target.as_str()))
                    .collect();
                json!({
                    "ad": a.ad.id,
                    "now": a.triage.as_ref().map(|t| json!({
                        "state": t.state.as_str(),
                        "assignee": t.assignee,
                        "note": t.note,
                        "updated_by": t.updated_by,
                        "updated_at": t.updated_at,
                        "updated_at_utc": time_json(t.updated_at),
                    })),
                    "history": history,
                })
            })
            .collect(),
    )
}

fn case_json(b: &Bundle) -> Value {
    let c = &b.case;
    json!({
        "id": c.id,
        "name": c.name,
        "state": c.state.as_str(),
        "assignee": c.assignee,
        "legal_hold": c.legal_hold,
        "created_by": c.created_by,
        "created_at": c.created_at,
        "created_at_utc": time_json(c.created_at),
        "ads": b.ads.iter().map(|a| json!({
            "ad": a.ad.id,
            "title": a.ad.fields.title,
            "risk": a.ad.risk,
            "triage": a.triage.as_ref().map(|t| t.state).unwrap_or_default().as_str(),
            "added_by": a.added_by,
            "added_at": a.added_at,
        })).collect::<Vec<_>>(),
        "notes": b.notes.iter().map(|n| json!({
            "id": n.id, "author": n.author, "at": n.at, "at_utc": time_json(n.at), "text": n.body,
        })).collect::<Vec<_>>(),
    })
}

fn pretty(v: &Value) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(v)?;
    out.push(b'\n');
    Ok(out)
}

/// What the manifest says of a file beyond its hash and size.
enum Entry {
    Plain,
    Evidence(EvidenceMeta),
    Picture(PictureMeta),
}

/// One file of the archive: its path, its bytes and, for evidence and pictures, what was recorded at
/// fetch time.
type ArchiveFile = (String, Vec<u8>, Entry);

/// The files of the archive except the manifest, in archive order, with evidence metadata.
fn files(b: &Bundle) -> Result<Vec<ArchiveFile>> {
    let mut out = Vec::new();
    out.push(("case.json".to_string(), pretty(&case_json(b))?, Entry::Plain));
    for a in &b.ads {
        let dir = format!("ads/{}", a.ad.id);
        out.push((format!("{dir}/ad.json"), pretty(&ad_json(a))?, Entry::Plain));
        out.push((format!("{dir}/versions.json"), pretty(&versions_json(a, b))?, Entry::Plain));
        // The pictures the ad showed, byte for byte as received, each listed with its fetch.
        for id in pictures_of(a) {
            let Some(img) = b.images.get(&id) else { continue };
            let meta = PictureMeta {
                image_id: id,
                ad: a.ad.id,
                url: img.first_url.clone(),
                fetched_at: img.first_fetched_at,
                fetched_at_utc: rfc3339(img.first_fetched_at),
                sha256_at_fetch: img.sha256.clone(),
                content_type: img.content_type.clone(),
            };
            out.push((picture_path(a.ad.id, id, &img.content_type), img.body.clone(), Entry::Picture(meta)));
        }
    }
    for (id, (p, ads)) in &b.pages {
        let meta = EvidenceMeta {
            page_id: *id,
            url: p.url.clone(),
            final_url: p.final_url.clone(),
            status: p.status,
            fetched_at: p.fetched_at,
            fetched_at_utc: rfc3339(p.fetched_at),
            sha256_at_fetch: p.sha256.clone(),
            content_type: p.content_type.clone(),
            truncated: p.truncated,
            ads: ads.iter().copied().collect(),
        };
        out.push((evidence_path(*id), p.body.clone(), Entry::Evidence(meta)));
    }
    out.push(("triage.json".to_string(), pretty(&triage_json(b))?, Entry::Plain));
    out.push(("audit.json".to_string(), pretty(&serde_json::to_value(&b.audit)?)?, Entry::Plain));
    Ok(out)
}

fn zip_time(ms: i64) -> DateTime {
    let t = rfc3339(ms);
    let n = |r: std::ops::Range<usize>| t.get(r).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
    DateTime::from_date_and_time(
        n(0..4),
        n(5..7) as u8,
        n(8..10) as u8,
        n(11..13) as u8,
        n(14..16) as u8,
        n(17..19) as u8,
    )
    .unwrap_or_default()
}

/// Hashes, writes the summary and manifest, and zips (stored, not compressed: evidence is read back
/// byte for byte by any unzip tool, and the build adds no compression code). CPU and IO work: runs on a blocking thread.
fn write_archive<W: Write + Seek>(b: &Bundle, out: W) -> Result<(W, Exported)> {
    let mut entries: Vec<ArchiveFile> = files(b)?;
    let mut listed: Vec<FileEntry> = entries
        .iter()
        .map(|(path, bytes, entry)| FileEntry {
            path: path.clone(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            evidence: match entry {
                Entry::Evidence(m) => Some(m.clone()),
                _ => None,
            },
            picture: match entry {
                Entry::Picture(m) => Some(m.clone()),
                _ => None,
            },
        })
        .collect();
    let html = summary::render(b, &listed).into_bytes();
    listed.insert(
        0,
        FileEntry {
            path: "summary.html".into(),
            sha256: sha256_hex(&html),
            size: html.len() as u64,
            evidence: None,
            picture: None,
        },
    );
    entries.insert(0, ("summary.html".into(), html, Entry::Plain));
    let manifest = Manifest {
        format: FORMAT.to_string(),
        case_id: b.case.id,
        case_name: b.case.name.clone(),
        exported_at: b.exported_at,
        exported_at_utc: rfc3339(b.exported_at),
        exported_by: b.exported_by.clone(),
        files: listed,
    };
    let manifest_bytes = pretty(&serde_json::to_value(&manifest)?)?;
    let manifest_sha256 = sha256_hex(&manifest_bytes);
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(zip_time(b.exported_at));
    let mut zip = ZipWriter::new(out);
    let io = |source| Error::Io { path: "archive".into(), source };
    zip.start_file(MANIFEST_PATH, opts)?;
    zip.write_all(&manifest_bytes).map_err(io)?;
    let mut bytes = manifest_bytes.len() as u64;
    for (path, data, _) in &entries {
        zip.start_file(path.as_str(), opts)?;
        zip.write_all(data).map_err(io)?;
        bytes += data.len() as u64;
    }
    let out = zip.finish()?;
    let exported = Exported {
        case_id: b.case.id,
        ads: b.ads.len(),
        evidence: b.pages.len(),
        pictures: entries.iter().filter(|(_, _, e)| matches!(e, Entry::Picture(_))).count(),
        files: entries.len() + 1,
        bytes,
        manifest_sha256,
    };
    Ok((out, exported))
}

/// Exports case `case_id` as a ZIP archive into `out` and audits it as `case.export` by `actor` (the
/// audit entry holds the manifest's SHA-256). The whole case is read into memory first.
pub async fn export<W>(store: &Store, case_id: i64, actor: &str, out: W) -> Result<(W, Exported)>
where
    W: Write + Seek + Send + 'static,
{
    let bundle = gather(store, case_id, actor).await?;
    let (out, exported) = tokio::task::spawn_blocking(move || write_archive(&bundle, out))
        .await
        .map_err(|e| Error::Task(e.to_string()))??;
    let detail = json!({
        "ads": exported.ads,
        "evidence": exported.evidence,
        "pictures": exported.pictures,
        "files": exported.files,
        "manifest_sha256": exported.manifest_sha256,
    })
    .to_string();
    store.audit(actor, "case.export", Some(&format!("case:{case_id}")), Some(&detail)).await?;
    Ok((out, exported))
}

/// Exports a case to the file `path` (see [`export`]). The archive is written beside it and renamed into
/// place when complete, so a failed export leaves no partial archive under that name.
pub async fn export_to_file(store: &Store, case_id: i64, actor: &str, path: &Path) -> Result<Exported> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".partial");
    let tmp = path.with_file_name(tmp_name);
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let result = export(store, case_id, actor, std::io::BufWriter::new(file)).await;
    match result {
        Ok((w, exported)) => {
            let file = w.into_inner().map_err(|e| io(e.into_error()))?;
            file.sync_all().map_err(io)?;
            std::fs::rename(&tmp, path).map_err(io)?;
            Ok(exported)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
