//! Recruitment-to-exploitation links on the pages: the job ↔ escort badge in the lead queue and its
//! filter, the ad page's section listing both sides, the network page's highlight and figures, and the
//! JSON API.

use axum::http::StatusCode;
use redflag_core::link::{GroupKind, Link, LinkReason};
use redflag_core::{Entity, EntityKind};
use redflag_store::analysis;

use crate::fixture::{Fixture, PASSWORD, fixture};
use crate::{get, login};

const PHONE: &str = "+17025550148";

/// The fixture with its job ad `cleaners` carrying the escort ads' phone: one network of three ads and a
/// job-escort link from `cleaners` to each escort ad, as analysis stores them.
async fn with_pair() -> Fixture {
    let fx = fixture().await;
    let i = fx.ids;
    let mut c = fx.db.conn().await.unwrap();
    let version = fx.db.ad(i.cleaners).await.unwrap().version;
    let phone = Entity {
        kind: EntityKind::Phone,
        value: PHONE.into(),
        raw: "702 555 0148".into(),
        start: 0,
        end: 12,
        obfuscated: false,
    };
    analysis::replace_entities(&mut c, i.cleaners, version, &[phone]).await.unwrap();
    let contact = || format!("phone:{PHONE}");
    let links = vec![
        Link::new(i.dinner, i.dinner2, LinkReason::SharedContact { contact: contact() }),
        Link::new(i.dinner, i.cleaners, LinkReason::SharedContact { contact: contact() }),
        Link::new(i.office, i.hostile, LinkReason::Template { similarity: 0.82 }),
        Link::new(i.cleaners, i.dinner, LinkReason::JobEscort { contact: contact() }),
        Link::new(i.cleaners, i.dinner2, LinkReason::JobEscort { contact: contact() }),
    ];
    let clusters = [
        (i.dinner, i.dinner),
        (i.dinner2, i.dinner),
        (i.cleaners, i.dinner),
        (i.office, i.office),
        (i.hostile, i.office),
    ];
    let kinds = [(i.dinner, GroupKind::Network), (i.office, GroupKind::Network)].into_iter().collect();
    analysis::replace_networks(&mut c, &clusters, &kinds, &links).await.unwrap();
    drop(c);
    fx
}

#[tokio::test]
async fn the_lead_queue_badges_and_filters_ads_with_a_job_escort_contact() {
    let fx = with_pair().await;
    let i = fx.ids;
    let s = login(&fx.app, "ana", PASSWORD).await;
    let r = get(&fx.app, "/api/leads?job_escort=1", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let ids: Vec<i64> = v["leads"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![i.cleaners, i.dinner, i.dinner2], "riskiest first, the pair only");
    assert_eq!(v["total"], 3);
    assert!(v["leads"].as_array().unwrap().iter().all(|l| l["job_escort"] == true));
    let all: serde_json::Value = serde_json::from_str(&get(&fx.app, "/api/leads", Some(&s)).await.body).unwrap();
    for l in all["leads"].as_array().unwrap() {
        let id = l["id"].as_i64().unwrap();
        assert_eq!(l["job_escort"], [i.cleaners, i.dinner, i.dinner2].contains(&id), "ad {id}");
    }

    let page = get(&fx.app, "/leads?job_escort=1", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("job ↔ escort contact</span>").count(), 3, "one badge per row");
    assert!(page.body.contains(r#"name="job_escort" value="1" checked"#), "the filter shows as set");
    assert!(!page.body.contains(&format!("/ads/{}\"", i.office)));
    let unfiltered = get(&fx.app, "/leads", Some(&s)).await;
    assert_eq!(unfiltered.body.matches("job ↔ escort contact</span>").count(), 3);
    let bad = get(&fx.app, "/leads?job_escort=maybe", Some(&s)).await;
    assert!(
        bad.status == StatusCode::OK && bad.body.contains("is not 1 or 0"),
        "a bad value is ignored with a warning"
    );
}

#[tokio::test]
async fn the_ad_and_network_pages_show_both_sides_and_the_network_figures() {
    let fx = with_pair().await;
    let i = fx.ids;
    let s = login(&fx.app, "vic", PASSWORD).await;
    for (ad, others) in [(i.cleaners, [i.dinner, i.dinner2]), (i.dinner, [i.cleaners, i.dinner2])] {
        let page = get(&fx.app, &format!("/ads/{ad}"), Some(&s)).await;
        assert_eq!(page.status, StatusCode::OK);
        let at = page.body.find("id=\"job-escort\"").unwrap_or_else(|| panic!("ad {ad} has the section"));
        let section = &page.body[at..at + page.body[at..].find("</section>").unwrap()];
        assert!(section.contains(&format!("phone:{PHONE}")), "{section}");
        for o in others {
            assert!(section.contains(&format!("href=\"/ads/{o}\"")), "ad {ad} lists ad {o}: {section}");
        }
        assert!(section.contains("job ads: ") && section.contains("escort ads: "));
        assert!(page.body.contains("Names used"), "the network's figures");
    }
    let office = get(&fx.app, &format!("/ads/{}", i.office), Some(&s)).await;
    assert!(!office.body.contains("id=\"job-escort\"") && !office.body.contains("job ↔ escort contact</span>"));

    let net = get(&fx.app, &format!("/networks/{}", i.dinner), Some(&s)).await;
    assert_eq!(net.status, StatusCode::OK);
    assert_eq!(net.body.matches("<tr class=\"job-escort\">").count(), 3, "every ad of the pair is highlighted");
    assert!(net.body.contains("id=\"job-escort\""));
    let figures = &net.body[net.body.find("network-features").unwrap()..];
    assert!(figures.contains("<dt>Ads</dt><dd>3</dd>") && figures.contains("<dt>Sites</dt><dd>2</dd>"), "{figures}");
    let list = get(&fx.app, "/networks", Some(&s)).await;
    assert!(list.body.contains("job ↔ escort contact</span>"), "the network list marks the network");
    // The other network holds the hostile ad: its figures and rows stay escaped.
    let hostile = get(&fx.app, &format!("/networks/{}", i.office), Some(&s)).await;
    assert_eq!(hostile.status, StatusCode::OK);
    assert!(!hostile.body.contains("<script>alert(1)</script>") && !hostile.body.contains("<tr class=\"job-escort\">"));

    let api = login(&fx.app, "ana", PASSWORD).await;
    let r = get(&fx.app, &format!("/api/ads/{}", i.cleaners), Some(&api)).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let cross: Vec<&serde_json::Value> =
        v["links"].as_array().unwrap().iter().filter(|l| l["reason"] == "job_escort").collect();
    assert_eq!(cross.len(), 2, "{v}");
    assert!(cross.iter().all(|l| l["contact"] == format!("phone:{PHONE}") && l["strength"] == 1.0), "{v}");
}
