//! The robustness table: how far edited copies of generated pictures (same picture) and different
//! pictures are apart, in hash bits and in thumbnail colour, which is what [`NEAR_DUPLICATE_DISTANCE`]
//! and [`MAX_COLOUR_DIFFERENCE`] were chosen from.

use redflag_imagehash::synth::{self, cropped, decode, jpeg, png, resized};
use redflag_imagehash::{
    Fingerprint, MAX_COLOUR_DIFFERENCE, NEAR_DUPLICATE_DISTANCE, colour_difference, distance, hash,
};

const MAX_PIXELS: u64 = 4_000_000;

fn fp(bytes: &[u8]) -> Fingerprint {
    hash(bytes, MAX_PIXELS).expect("generated images decode").fingerprint()
}

/// The edits a reposted photo goes through, by name.
fn variants(seed: u64) -> Vec<(&'static str, Vec<u8>)> {
    let img = synth::pattern(seed, 480, 360);
    let reload = |b: Vec<u8>| decode(&b).expect("decodes");
    vec![
        ("resize 50 %", png(&resized(&img, 0.5))),
        ("resize 75 %", png(&resized(&img, 0.75))),
        ("resize 150 %", png(&resized(&img, 1.5))),
        ("jpeg q90", jpeg(&img, 90)),
        ("jpeg q60", jpeg(&img, 60)),
        ("jpeg q30", jpeg(&img, 30)),
        ("crop 2 %", png(&cropped(&img, 0.02, 0.5))),
        ("crop 4 % one side", png(&cropped(&img, 0.04, 0.0))),
        ("crop 5 %", png(&cropped(&img, 0.05, 0.5))),
        ("resize 60 % + jpeg q60", jpeg(&resized(&img, 0.6), 60)),
        ("crop 3 % + resize 50 % + jpeg q50", jpeg(&resized(&cropped(&img, 0.03, 0.3), 0.5), 50)),
        ("jpeg q70 twice", jpeg(&reload(jpeg(&img, 70)), 70)),
    ]
}

/// `(bits, colour)` between two fingerprints.
fn apart(a: &Fingerprint, b: &Fingerprint) -> (u32, f32) {
    (distance(a.hash, b.hash), colour_difference(&a.thumb, &b.thumb))
}

#[test]
fn edited_copies_match_and_different_pictures_do_not() {
    // Copies: 40 pictures of 480 × 360, twelve edits each.
    let seeds: Vec<u64> = (1..=40).collect();
    let originals: Vec<Fingerprint> = seeds.iter().map(|&s| fp(&png(&synth::pattern(s, 480, 360)))).collect();
    let mut same: Vec<(&'static str, u32, f32)> = Vec::new();
    for (&seed, orig) in seeds.iter().zip(&originals) {
        for (name, bytes) in variants(seed) {
            let (bits, colour) = apart(orig, &fp(&bytes));
            same.push((name, bits, colour));
        }
    }
    // Different pictures: those 40 and 160 more of 240 × 180 (the demo site's size), 19,900 pairs.
    let mut all = originals.clone();
    all.extend((1001..=1160).map(|s| fp(&png(&synth::pattern(s, 240, 180)))));
    let mut different: Vec<(u32, f32)> = Vec::new();
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            different.push(apart(&all[i], &all[j]));
        }
    }
    // The table, for docs/benchmarks.md (`cargo test -p redflag-imagehash --test it -- --nocapture`).
    let names: Vec<&str> = variants(1).iter().map(|(n, _)| *n).collect();
    println!("{:<36} {:>5} {:>5} {:>5} {:>10}", "edit (40 pictures)", "mean", "p95", "max", "colour max");
    for name in &names {
        let mut d: Vec<u32> = same.iter().filter(|(n, ..)| n == name).map(|(_, d, _)| *d).collect();
        d.sort_unstable();
        let mean = d.iter().sum::<u32>() as f64 / d.len() as f64;
        let colour = same.iter().filter(|(n, ..)| n == name).map(|(.., c)| *c).fold(0.0f32, f32::max);
        println!("{name:<36} {mean:>5.2} {:>5} {:>5} {colour:>10.1}", d[d.len() * 95 / 100], d[d.len() - 1]);
    }
    let mut bits: Vec<u32> = different.iter().map(|(b, _)| *b).collect();
    bits.sort_unstable();
    let mut colours: Vec<f32> = different.iter().map(|(_, c)| *c).collect();
    colours.sort_by(f32::total_cmp);
    let same_colour = same.iter().map(|(.., c)| *c).fold(0.0f32, f32::max);
    println!(
        "copies: n={} max bits {} max colour {same_colour:.1}",
        same.len(),
        same.iter().map(|(_, d, _)| *d).max().unwrap_or(0)
    );
    println!(
        "different pictures: n={} bits min={} p0.1={} p1={} median={}; colour min={:.1} p0.1={:.1} median={:.1}",
        different.len(),
        bits[0],
        bits[bits.len() / 1000],
        bits[bits.len() / 100],
        bits[bits.len() / 2],
        colours[0],
        colours[colours.len() / 1000],
        colours[colours.len() / 2],
    );
    for radius in [10, 12, 14, 16] {
        let hash_only = different.iter().filter(|(b, _)| *b <= radius).count();
        for colour in [10.0f32, 14.0, 20.0] {
            let missed = same.iter().filter(|(_, b, c)| *b > radius || *c > colour).count();
            let false_matches = different.iter().filter(|(b, c)| *b <= radius && *c <= colour).count();
            println!(
                "radius {radius:>2} bits, colour {colour:>4.1}: {missed:>2} of {} copies missed, {false_matches} of {} \
                 different pairs matched ({hash_only} by the hash alone)",
                same.len(),
                different.len()
            );
        }
    }
    // The hash alone cannot tell every different picture apart (two gradients at one angle hash alike);
    // with the thumbnail's colours no different pair matches, and under 1 % of the copies are missed
    // (one-sided crops of 4 %, which move the whole picture).
    let missed = same.iter().filter(|(_, b, c)| *b > NEAR_DUPLICATE_DISTANCE || *c > MAX_COLOUR_DIFFERENCE).count();
    let false_matches =
        different.iter().filter(|(b, c)| *b <= NEAR_DUPLICATE_DISTANCE && *c <= MAX_COLOUR_DIFFERENCE).count();
    assert!(missed * 100 <= same.len(), "{missed} copies missed");
    assert_eq!(false_matches, 0, "different pairs matched");
}
