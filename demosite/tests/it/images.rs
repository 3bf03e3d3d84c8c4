//! The demo site's pictures against its ground truth: ads showing copies of one picture (resized,
//! recompressed, cropped) are image-linked, ads showing different pictures never are, the site's
//! placeholder, shown by many unrelated ads, links nobody, and the photo rings, which share nothing
//! else, are found by their pictures alone.

use std::collections::{HashMap, HashSet};

use redflag_core::link::image::Fingerprint;
use redflag_core::link::{GroupKind, LinkInput, LinkOptions, LinkReason, link_with_images};
use redflag_demosite::{DemoConfig, DemoSite, PLACEHOLDER_PATH};

fn pictures_of(site: &DemoSite, path: &str) -> Vec<String> {
    let page = site.page(path).expect("ad page").body.clone();
    page.split("<img src=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

#[test]
fn copies_of_a_picture_are_linked_and_different_pictures_never_are() {
    let site = DemoSite::generate(&DemoConfig::default());
    let truth = site.truth();
    let mut hashes: HashMap<String, Fingerprint> = HashMap::new();
    for path in site.picture_paths() {
        let pic = site.picture(path).unwrap();
        let h = redflag_imagehash::hash(&pic.body, 1 << 24).expect("demo pictures decode");
        assert_eq!(h.format.content_type(), pic.content_type, "{path}");
        hashes.insert(path.to_string(), h.fingerprint());
    }
    // Each ad as the linker sees it: its id, its contacts from the truth, no text, its pictures' fingerprints.
    let mut images: Vec<(i64, Fingerprint)> = Vec::new();
    let mut placeholder_ads = 0;
    let keys: Vec<Vec<String>> = truth
        .iter()
        .map(|t| {
            t.phones
                .iter()
                .map(|p| format!("phone:{p}"))
                .chain(t.handles.iter().map(|h| format!("handle:{h}")))
                .collect()
        })
        .collect();
    let inputs: Vec<LinkInput<'_>> = truth
        .iter()
        .enumerate()
        .map(|(i, _)| LinkInput { ad_id: i as i64, contacts: keys[i].clone(), text: "", city: None })
        .collect();
    for (i, t) in truth.iter().enumerate() {
        let shown = pictures_of(&site, &t.path);
        let own = shown.iter().filter(|p| *p != PLACEHOLDER_PATH).count();
        assert_eq!(own, t.images.len(), "{}: the truth lists every own picture", t.path);
        placeholder_ads += usize::from(shown.iter().any(|p| p == PLACEHOLDER_PATH));
        images.extend(shown.iter().map(|p| (i as i64, hashes[p])));
    }
    assert!(placeholder_ads >= 40, "the placeholder is common: {placeholder_ads} ads");
    let nets = link_with_images(&inputs, &[], &images, &LinkOptions::default());
    let mut image_pairs: HashSet<(usize, usize)> = HashSet::new();
    for l in &nets.links {
        if let LinkReason::Image { distance, .. } = l.reason {
            let (a, b) = (l.a as usize, l.b as usize);
            assert!(
                truth[a].images.iter().any(|p| truth[b].images.contains(p)),
                "{} and {} are image-linked (distance {distance}) but show different pictures",
                truth[a].path,
                truth[b].path
            );
            image_pairs.insert((a, b));
        }
    }
    // Recall over pairs of ads showing one picture: joined by image links, directly or through the ad
    // at the centre of the picture's star.
    let mut comp: Vec<usize> = (0..truth.len()).collect();
    fn find(c: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while c[r] != r {
            r = c[r];
        }
        c[x] = r;
        r
    }
    for &(a, b) in &image_pairs {
        let (ra, rb) = (find(&mut comp, a), find(&mut comp, b));
        comp[ra.max(rb)] = ra.min(rb);
    }
    let (mut pairs, mut linked) = (0, 0);
    for a in 0..truth.len() {
        for b in a + 1..truth.len() {
            if truth[a].images.iter().any(|p| truth[b].images.contains(p)) {
                pairs += 1;
                linked += usize::from(find(&mut comp, a) == find(&mut comp, b));
            }
        }
    }
    let recall = linked as f64 / pairs as f64;
    println!("demo image pairs {pairs}, linked {linked} (recall {recall:.3}); {} image links", image_pairs.len());
    assert!(pairs >= 100, "the demo plants picture reuse: {pairs} pairs");
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(nets.kind_of.values().all(|k| *k == GroupKind::Network));
    // The photo rings share nothing else: only their image links put each in one group.
    let mut rings: HashMap<&str, HashSet<i64>> = HashMap::new();
    for (i, t) in truth.iter().enumerate() {
        if let Some(ring) = t.network.as_deref().filter(|n| n.contains("-ring-")) {
            rings.entry(ring).or_default().insert(nets.cluster_of[&(i as i64)]);
        }
    }
    assert!(rings.len() >= 2, "each board plants a photo ring: {rings:?}");
    assert!(rings.values().all(|c| c.len() == 1), "each ring is one group: {rings:?}");
}
