use redflag_core::AdFields;
use redflag_core::AdKind;
use redflag_store::ads::{self, NewAdVersion};
use redflag_store::trends::{DayTrend, GroupTrend};

use crate::stores_with_site;

const DAY: i64 = 86_400_000;

/// An ad of the test: key, day first seen, city, risk, whether it is in a network.
type Spec = (&'static str, i64, Option<&'static str>, Option<i64>, bool);

#[tokio::test]
async fn new_ads_are_counted_by_day_site_and_city() {
    for (s, site) in stores_with_site().await {
        let mut c = s.conn().await.unwrap();
        // (key, day, city, risk, in a network)
        let ads_spec: [Spec; 6] = [
            ("a", 20_000, Some("Lisbon"), Some(90), true),
            ("b", 20_000, Some(" lisbon "), Some(20), false),
            ("c", 20_001, Some("Porto"), Some(75), true),
            ("d", 20_001, None, None, false),
            ("e", 20_003, Some("Lisbon"), Some(70), false),
            ("f", 19_990, Some("Faro"), Some(99), false),
        ];
        for (key, day, city, _, _) in ads_spec {
            let f = AdFields {
                title: key.into(),
                body: "text".into(),
                city: city.map(str::to_string),
                ..Default::default()
            };
            let v = NewAdVersion {
                site_id: site,
                ad_key: key,
                kind: AdKind::Job,
                url: key,
                canonical_url: None,
                fields: &f,
                page_id: None,
                fetched_at: day * DAY + 5_000,
            };
            ads::upsert_version(&mut c, &v).await.unwrap();
        }
        drop(c);
        for (i, (_, _, _, risk, linked)) in ads_spec.iter().enumerate() {
            let id = i as i64 + 1;
            sqlx::query("UPDATE ads SET risk = $1, cluster_id = $2, cluster_kind = $3 WHERE id = $4")
                .bind(*risk)
                .bind(linked.then_some(1_i64))
                .bind(linked.then_some("network"))
                .bind(id)
                .execute(s.pool())
                .await
                .unwrap();
        }
        let days = s.ads_per_day(20_000 * DAY + 123, 70).await.unwrap();
        let want = [
            DayTrend { day: 20_000 * DAY, ads: 2, risky: 1, in_networks: 1 },
            DayTrend { day: 20_001 * DAY, ads: 2, risky: 1, in_networks: 1 },
            DayTrend { day: 20_003 * DAY, ads: 1, risky: 1, in_networks: 0 },
        ];
        assert_eq!(days, want, "{}", s.label);
        let sites = s.ads_by_site(20_000 * DAY, 70).await.unwrap();
        assert_eq!(sites.len(), 1);
        assert_eq!((sites[0].ads, sites[0].risky), (5, 3));
        let cities = s.ads_by_city(20_000 * DAY, 70, 10).await.unwrap();
        let g = |n: &str, ads, risky| GroupTrend { name: n.into(), ads, risky };
        assert_eq!(cities, [g("lisbon", 3, 2), g("porto", 1, 1)], "case and spaces folded; no city left out");
        assert_eq!(s.ads_by_city(20_000 * DAY, 70, 1).await.unwrap().len(), 1);
        assert!(s.ads_per_day(30_000 * DAY, 70).await.unwrap().is_empty());
    }
}
