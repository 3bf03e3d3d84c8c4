//! A seeded store and index: two sites, a handful of ads (one of them hostile), scores with evidence,
//! a network, crawl outcomes and four users, one per role.

use std::sync::Arc;

use redflag_core::link::{GroupKind, Link, LinkReason};
use redflag_core::{AdFields, AdKind, Assessment, Entity, EntityKind, Evidence, FiredIndicator, Verdict};
use redflag_dashboard::{AppState, DashboardConfig};
use redflag_index::{AdDoc, AdIndex};
use redflag_store::ads::{self, NewAdVersion};
use redflag_store::frontier::{self, Completion, NewUrl, Outcome};
use redflag_store::pages::{self, NewPage};
use redflag_store::sites::NewSite;
use redflag_store::testkit::{self, TestStore};
use redflag_store::{Role, analysis, runs};

/// Every test user's password.
pub const PASSWORD: &str = "correct horse 42";

/// The hostile ad's title.
pub const HOSTILE_TITLE: &str = "\"><svg onload=document.title='pwn'+'ed'> Room <script>alert(1)</script>";
/// The hostile ad's body.
pub const HOSTILE_BODY: &str = "Earn fast <img src=x onerror=alert(1)> pay a fee <script>document.title='pwn'+'ed'</script> \
    see <a href=javascript:alert(1)>here</a>";
/// The hostile ad's URL.
pub const HOSTILE_URL: &str = "javascript:alert(1)";

/// Ids of the seeded rows.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    /// Escort site.
    pub escort_site: i64,
    /// Job site.
    pub job_site: i64,
    /// Escort ad, risk 85, two versions, in a network with `dinner2`.
    pub dinner: i64,
    /// Escort ad, risk 60, shares a phone with `dinner`.
    pub dinner2: i64,
    /// Job ad, risk 92, fee indicator.
    pub cleaners: i64,
    /// Job ad, risk 10.
    pub office: i64,
    /// The hostile job ad, risk 99, in a template network with `office`.
    pub hostile: i64,
    /// The evidence page of `dinner`'s current version.
    pub dinner_page: i64,
    /// The raw bytes of that page.
    pub dinner_page_body: &'static [u8],
}

/// A seeded dashboard.
pub struct Fixture {
    /// The store (deleted on drop).
    pub db: TestStore,
    /// The dashboard's state.
    pub state: AppState,
    /// The router.
    pub app: axum::Router,
    /// Seeded ids.
    pub ids: Ids,
}

fn span(text: &str, needle: &str) -> Evidence {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    Evidence { start, end: start + needle.len(), text: needle.to_string() }
}

fn assessment(kind: AdKind, risk: u8, text: &str, inds: &[(&str, &str, f32)]) -> Assessment {
    Assessment {
        kind,
        probability: f32::from(risk) / 100.0,
        risk,
        verdict: if risk >= 70 {
            Verdict::LikelyFraudulent
        } else if risk >= 40 {
            Verdict::Suspicious
        } else {
            Verdict::LikelyLegitimate
        },
        language: Some("en".into()),
        language_supported: true,
        indicators: inds
            .iter()
            .map(|(id, needle, weight)| FiredIndicator {
                id: id.to_string(),
                description: format!("description of {id}"),
                weight: *weight,
                evidence: vec![span(text, needle)],
                note: None,
            })
            .collect(),
        model: "test-model-1".into(),
    }
}

fn entity(kind: EntityKind, value: &str, raw: &str) -> Entity {
    Entity { kind, value: value.into(), raw: raw.into(), start: 0, end: raw.len(), obfuscated: false }
}

struct Seed<'a> {
    site: i64,
    key: &'a str,
    kind: AdKind,
    url: &'a str,
    fields: AdFields,
    page: Option<i64>,
    at: i64,
}

async fn add_ad(db: &TestStore, s: Seed<'_>) -> (i64, i64) {
    let mut c = db.conn().await.unwrap();
    let v = NewAdVersion {
        site_id: s.site,
        ad_key: s.key,
        kind: s.kind,
        url: s.url,
        canonical_url: None,
        fields: &s.fields,
        page_id: s.page,
        fetched_at: s.at,
    };
    let (id, version, _) = ads::upsert_version(&mut c, &v).await.unwrap();
    (id, version)
}

async fn add_page(db: &TestStore, site: i64, url: &str, body: &[u8], at: i64) -> i64 {
    let headers = vec![("content-type".to_string(), "text/html; charset=utf-8".to_string())];
    let p = NewPage::prepare(site, url.into(), url.into(), 200, at, headers, false, body);
    pages::insert(&mut db.conn().await.unwrap(), &p).await.unwrap()
}

async fn score(db: &TestStore, id: i64, version: i64, a: &Assessment, entities: &[Entity]) {
    let mut c = db.conn().await.unwrap();
    analysis::save_score(&mut c, id, version, a).await.unwrap();
    analysis::replace_entities(&mut c, id, version, entities).await.unwrap();
}

const DINNER_PAGE: &[u8] = b"<html><body><h1>Sweet companion</h1>\x00\xff raw bytes</body></html>";

/// Builds the fixture with the default settings.
pub async fn fixture() -> Fixture {
    fixture_with(DashboardConfig::default()).await
}

/// Builds the fixture with `config`.
pub async fn fixture_with(config: DashboardConfig) -> Fixture {
    fixture_in(testkit::sqlite().await, config).await
}

/// The fixture on each backend (PostgreSQL when enabled), for tests that must pass on both.
pub async fn fixtures_with(config: DashboardConfig) -> Vec<Fixture> {
    let mut out = Vec::new();
    for db in testkit::all().await {
        out.push(fixture_in(db, config.clone()).await);
    }
    out
}

/// Builds the fixture with `config` in the store `db`.
pub async fn fixture_in(db: TestStore, config: DashboardConfig) -> Fixture {
    let escort_site = db
        .upsert_site(&NewSite {
            name: "nightboard",
            kind: AdKind::Escort,
            country: Some("US"),
            language: Some("en"),
            config: "",
        })
        .await
        .unwrap();
    let job_site = db
        .upsert_site(&NewSite { name: "jobsboard", kind: AdKind::Job, country: Some("PT"), language: None, config: "" })
        .await
        .unwrap();
    let t0 = 1_780_000_000_000;

    // Escort ad with two versions: the price went up.
    let dinner_v1 = AdFields {
        title: "Sweet companion for dinner dates".into(),
        body: "New in town, available for dinner dates. Call 702-555-0148.".into(),
        city: Some("Reno".into()),
        price: Some("$200/hr".into()),
        age: Some("21".into()),
        ..Default::default()
    };
    add_ad(
        &db,
        Seed {
            site: escort_site,
            key: "d1",
            kind: AdKind::Escort,
            url: "https://nightboard.example/ad/d1",
            fields: dinner_v1.clone(),
            page: None,
            at: t0,
        },
    )
    .await;
    let dinner_page = add_page(&db, escort_site, "https://nightboard.example/ad/d1", DINNER_PAGE, t0 + 1000).await;
    let dinner_v2 = AdFields {
        price: Some("$250/hr".into()),
        body: "New in town, available for dinner dates only. Call 702-555-0148.".into(),
        ..dinner_v1
    };
    let (dinner, dv) = add_ad(
        &db,
        Seed {
            site: escort_site,
            key: "d1",
            kind: AdKind::Escort,
            url: "https://nightboard.example/ad/d1",
            fields: dinner_v2.clone(),
            page: Some(dinner_page),
            at: t0 + 1000,
        },
    )
    .await;
    let text = dinner_v2.scoring_text();
    let a = assessment(
        AdKind::Escort,
        85,
        &text,
        &[("escort.new_in_town", "New in town", 1.4), ("escort.dinner_only", "dinner dates only", -0.3)],
    );
    score(
        &db,
        dinner,
        dv,
        &a,
        &[entity(EntityKind::Phone, "+17025550148", "702-555-0148"), entity(EntityKind::City, "Reno", "Reno")],
    )
    .await;

    let dinner2_f = AdFields {
        title: "Companion, new in town".into(),
        body: "Massage and dinner company. Text 702 555 0148.".into(),
        city: Some("Las Vegas".into()),
        ..Default::default()
    };
    let (dinner2, v) = add_ad(
        &db,
        Seed {
            site: escort_site,
            key: "d2",
            kind: AdKind::Escort,
            url: "https://nightboard.example/ad/d2",
            fields: dinner2_f.clone(),
            page: None,
            at: t0 + 2000,
        },
    )
    .await;
    let a = assessment(AdKind::Escort, 60, &dinner2_f.scoring_text(), &[("escort.new_in_town", "new in town", 1.0)]);
    score(&db, dinner2, v, &a, &[entity(EntityKind::Phone, "+17025550148", "702 555 0148")]).await;

    let cleaners_f = AdFields {
        title: "Cleaners wanted in Lisbon, free housing".into(),
        body:
            "No experience needed. Pay a registration fee of 300 EUR before travel. Passport kept safe by the agency."
                .into(),
        city: Some("Lisbon".into()),
        price: Some("900 EUR/month".into()),
        company: Some("Agencia Rapida".into()),
        ..Default::default()
    };
    let (cleaners, v) = add_ad(
        &db,
        Seed {
            site: job_site,
            key: "c1",
            kind: AdKind::Job,
            url: "https://jobsboard.example/jobs/c1",
            fields: cleaners_f.clone(),
            page: None,
            at: t0 + 3000,
        },
    )
    .await;
    let a = assessment(
        AdKind::Job,
        92,
        &cleaners_f.scoring_text(),
        &[("job.fee_required", "registration fee", 2.1), ("job.passport_retention", "Passport kept", 1.8)],
    );
    score(&db, cleaners, v, &a, &[entity(EntityKind::Email, "jobs@rapida.example", "jobs@rapida.example")]).await;

    let office_f = AdFields {
        title: "Office assistant, part time".into(),
        body: "Answer phones and file invoices. Apply with your CV.".into(),
        city: Some("Porto".into()),
        ..Default::default()
    };
    let (office, v) = add_ad(
        &db,
        Seed {
            site: job_site,
            key: "o1",
            kind: AdKind::Job,
            url: "https://jobsboard.example/jobs/o1",
            fields: office_f.clone(),
            page: None,
            at: t0 + 4000,
        },
    )
    .await;
    score(&db, office, v, &assessment(AdKind::Job, 10, &office_f.scoring_text(), &[]), &[]).await;

    let hostile_f = AdFields {
        title: HOSTILE_TITLE.into(),
        body: HOSTILE_BODY.into(),
        city: Some("<b>Porto</b>".into()),
        price: Some("<i>1000</i> EUR".into()),
        contact: Some("<script>alert('contact')</script>".into()),
        ..Default::default()
    };
    let (hostile, v) = add_ad(
        &db,
        Seed {
            site: job_site,
            key: "<h1>",
            kind: AdKind::Job,
            url: HOSTILE_URL,
            fields: hostile_f.clone(),
            page: None,
            at: t0 + 5000,
        },
    )
    .await;
    let a = assessment(
        AdKind::Job,
        99,
        &hostile_f.scoring_text(),
        &[("job.fee_required", "pay a fee <script>", 2.0), ("job.<b>odd</b>", "<img src=x onerror=alert(1)>", 0.5)],
    );
    score(
        &db,
        hostile,
        v,
        &a,
        &[entity(EntityKind::Handle, "telegram:<svg/onload=alert(1)>", "@<svg/onload=alert(1)>")],
    )
    .await;

    // Networks: the two escort ads share a phone; the hostile ad and the office ad share a template.
    let links = vec![
        Link::new(dinner, dinner2, LinkReason::SharedContact { contact: "phone:+17025550148".into() }),
        Link::new(office, hostile, LinkReason::Template { similarity: 0.82 }),
    ];
    let clusters = [(dinner, dinner), (dinner2, dinner), (office, office), (hostile, office), (cleaners, cleaners)];
    let kinds = [(dinner, GroupKind::Network), (office, GroupKind::Network)].into_iter().collect();
    analysis::replace_networks(&mut db.conn().await.unwrap(), &clusters, &kinds, &links).await.unwrap();

    // Crawl outcomes.
    {
        let mut c = db.conn().await.unwrap();
        let urls = [
            "https://nightboard.example/ad/d1",
            "https://nightboard.example/private/x",
            "https://nightboard.example/<script>alert(1)</script>",
        ];
        let new: Vec<NewUrl> = urls.iter().map(|u| NewUrl { url: u, role: "ad", depth: 1, parent_id: None }).collect();
        frontier::enqueue(&mut c, escort_site, &new).await.unwrap();
        let items = frontier::lease(&mut c, db.backend(), escort_site, "w1", 10, 60_000).await.unwrap();
        let outcomes = [
            (Outcome::Ok, None, Some(200)),
            (Outcome::Robots, Some("disallowed by robots.txt"), None),
            (Outcome::Failed, Some("failed after 3 tries: <b>connect timeout</b>"), None),
        ];
        for (item, (outcome, detail, status)) in items.iter().zip(outcomes) {
            let done = Completion {
                outcome,
                detail,
                http_status: status,
                page_id: None,
                etag: None,
                last_modified: None,
                sha256: None,
                recrawl_at: None,
            };
            assert!(frontier::complete(&mut c, item.id, "w1", &done).await.unwrap());
        }
        let run = runs::start(&mut c, escort_site, "worker-<1>").await.unwrap();
        runs::finish(&mut c, run, runs::RunStatus::Finished, &serde_json::json!({ "pages": 3, "ads": 2 }), None)
            .await
            .unwrap();
    }

    for (name, role) in [("ada", Role::Admin), ("ana", Role::Analyst), ("vic", Role::Viewer), ("nora", Role::Ngo)] {
        db.upsert_user(name, PASSWORD, role, "test").await.unwrap();
    }

    let index = AdIndex::in_memory().unwrap();
    let mut docs = Vec::new();
    for id in [dinner, dinner2, cleaners, office, hostile] {
        let ad = db.ad(id).await.unwrap();
        let score = db.latest_score(id).await.unwrap();
        docs.push(AdDoc {
            indicators: score.as_ref().map(|s| s.indicators.iter().map(|i| i.id.clone()).collect()).unwrap_or_default(),
            language: score.as_ref().and_then(|s| s.language.clone()),
            ad_id: id,
            kind: Some(ad.kind),
            site: ad.site.clone(),
            title: ad.fields.title.clone(),
            body: ad.fields.body.clone(),
            city: ad.fields.city.clone(),
            risk: ad.risk.unwrap_or(0) as u8,
            last_seen: ad.last_seen,
            ..Default::default()
        });
    }
    index.upsert(&docs).unwrap();
    index.commit().unwrap();

    let classifier = redflag_classifier::Classifier::bundled().expect("bundled classifier");
    let state = AppState::new(db.store.clone(), Arc::new(index), Arc::new(classifier), config);
    let app = redflag_dashboard::router(state.clone());
    let ids = Ids {
        escort_site,
        job_site,
        dinner,
        dinner2,
        cleaners,
        office,
        hostile,
        dinner_page,
        dinner_page_body: DINNER_PAGE,
    };
    Fixture { db, state, app, ids }
}
