//! Image links: ads that show copies of one picture (resized, recompressed, slightly cropped) are
//! linked, from the fingerprints the crawler stored (`redflag-imagehash`); nothing here decodes a
//! picture, and nothing looks at faces or people.
//!
//! A picture's [`Fingerprint`] is a 64-bit perceptual hash of its light and dark areas and an 8 × 8
//! colour thumbnail. Two pictures are copies of one another when their hashes are at most
//! [`NEAR_DUPLICATE_DISTANCE`] bits apart **and** their thumbnails differ by at most
//! [`MAX_COLOUR_DIFFERENCE`] (mean absolute difference per channel, 0–255). The hash finds candidates
//! fast; the thumbnail confirms them, because different pictures with one layout of light and dark (two
//! gradients at one angle) can hash a few bits apart, while copies keep their colours. Both thresholds
//! were chosen by measurement (`imagehash/tests/it/robustness.rs`, `docs/benchmarks.md`).
//!
//! Candidates are found with a multi-index hash ([`HashIndex`]: four 16-bit bands, each looked up within
//! a quarter of the radius, which by the pigeonhole principle finds every hash within it) rather than by
//! comparing all pairs. Distinct fingerprints are grouped by leader clustering — each joins the nearest
//! existing leader it is a copy of, else leads a group of its own — so a chain of small differences
//! never grows one picture into another.
//!
//! A picture many unrelated advertisers show (the site's logo, a "no photo" placeholder, a stock
//! photo) is not evidence: like a template shingle, it weighs less the more distinct advertisers use
//! it (ads already joined by a contact or a template, or naming one advertiser, count once). Up to
//! [`SHARED_ADVERTISERS`] advertisers it weighs 1; beyond, `SHARED_ADVERTISERS / advertisers`; beyond
//! [`MAX_ADVERTISERS`] it is ignored. A link's strength is its closeness (`1 − distance / 64`) times
//! that weight, and only links of at least [`crate::link::LinkOptions::min_image_strength`] are kept.

use std::collections::HashMap;

/// Hashes at most this many bits apart may be copies of one picture (chosen by measurement: see
/// `imagehash/tests/it/robustness.rs` and `docs/benchmarks.md`).
pub const NEAR_DUPLICATE_DISTANCE: u32 = 14;

/// Thumbnails differing by at most this much (mean absolute difference per colour channel, 0–255) may
/// be copies of one picture (chosen by measurement, like [`NEAR_DUPLICATE_DISTANCE`]).
pub const MAX_COLOUR_DIFFERENCE: f32 = 14.0;

/// Side of the colour thumbnail in pixels.
pub const THUMB_SIDE: usize = 8;

/// Bytes of the colour thumbnail: `THUMB_SIDE × THUMB_SIDE` pixels, red, green and blue, row by row.
pub const THUMB_BYTES: usize = THUMB_SIDE * THUMB_SIDE * 3;

/// A picture's colour thumbnail (see [`THUMB_BYTES`]).
pub type Thumb = [u8; THUMB_BYTES];

/// What linking knows of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// The 64-bit perceptual hash.
    pub hash: u64,
    /// The colour thumbnail.
    pub thumb: Thumb,
}

impl Fingerprint {
    /// A fingerprint from a stored hash and thumbnail bytes; `None` unless there are [`THUMB_BYTES`].
    pub fn from_parts(hash: u64, thumb: &[u8]) -> Option<Fingerprint> {
        Some(Fingerprint { hash, thumb: thumb.try_into().ok()? })
    }

    /// Whether `other` is a copy of this picture under the thresholds: hashes at most `radius` bits
    /// apart and thumbnails at most `max_colour` apart.
    pub fn is_copy(&self, other: &Fingerprint, radius: u32, max_colour: f32) -> bool {
        distance(self.hash, other.hash) <= radius && colour_difference(&self.thumb, &other.thumb) <= max_colour
    }
}

/// The mean absolute difference between two thumbnails, per channel (0–255).
pub fn colour_difference(a: &Thumb, b: &Thumb) -> f32 {
    let sum: u32 = a.iter().zip(b.iter()).map(|(x, y)| u32::from(x.abs_diff(*y))).sum();
    sum as f32 / THUMB_BYTES as f32
}

/// A picture shown by up to this many distinct advertisers weighs 1.
pub const SHARED_ADVERTISERS: usize = 6;

/// A picture shown by more distinct advertisers than this links nobody.
pub const MAX_ADVERTISERS: usize = 24;

/// The number of bits in which two hashes differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// How much a picture shown by `advertisers` distinct advertisers weighs, 0–1.
pub fn weight(advertisers: usize) -> f32 {
    if advertisers > MAX_ADVERTISERS {
        0.0
    } else if advertisers <= SHARED_ADVERTISERS {
        1.0
    } else {
        SHARED_ADVERTISERS as f32 / advertisers as f32
    }
}

/// The strength of an image link: closeness times the picture's weight.
pub fn strength(distance: u32, advertisers: usize) -> f32 {
    (1.0 - distance.min(64) as f32 / 64.0) * weight(advertisers)
}

/// A multi-index hash over 64-bit hashes: four tables keyed by 16-bit bands.
#[derive(Debug, Clone, Default)]
pub struct HashIndex {
    hashes: Vec<u64>,
    bands: [HashMap<u16, Vec<u32>>; 4],
}

fn band(h: u64, k: usize) -> u16 {
    (h >> (16 * k)) as u16
}

impl HashIndex {
    /// An empty index.
    pub fn new() -> HashIndex {
        HashIndex::default()
    }

    /// Adds a hash; returns its position.
    pub fn insert(&mut self, h: u64) -> usize {
        let i = self.hashes.len();
        self.hashes.push(h);
        for (k, table) in self.bands.iter_mut().enumerate() {
            table.entry(band(h, k)).or_default().push(i as u32);
        }
        i
    }

    /// The hash at a position.
    pub fn get(&self, i: usize) -> u64 {
        self.hashes[i]
    }

    /// Positions of every stored hash within `radius` bits of `h`, with their distances, nearest first
    /// (ties by position).
    pub fn within(&self, h: u64, radius: u32) -> Vec<(usize, u32)> {
        let per_band = radius / 4;
        let mut seen: Vec<u32> = Vec::new();
        for (k, table) in self.bands.iter().enumerate() {
            neighbours(band(h, k), per_band, &mut |key| {
                if let Some(list) = table.get(&key) {
                    seen.extend_from_slice(list);
                }
            });
        }
        seen.sort_unstable();
        seen.dedup();
        let mut out: Vec<(usize, u32)> = seen
            .into_iter()
            .map(|i| (i as usize, distance(h, self.hashes[i as usize])))
            .filter(|(_, d)| *d <= radius)
            .collect();
        out.sort_by_key(|&(i, d)| (d, i));
        out
    }
}

/// Calls `f` with every 16-bit value within `radius` bits of `v` (`v` itself first).
fn neighbours(v: u16, radius: u32, f: &mut impl FnMut(u16)) {
    fn go(v: u16, from: u32, left: u32, f: &mut impl FnMut(u16)) {
        f(v);
        if left == 0 {
            return;
        }
        for bit in from..16 {
            go(v ^ (1 << bit), bit + 1, left - 1, f);
        }
    }
    go(v, 0, radius.min(16), f);
}

/// One image link between two ads (positions in the caller's list).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageJoin {
    /// The ad showing the picture first (lowest position), the star's centre.
    pub a: usize,
    /// The other ad.
    pub b: usize,
    /// The smallest distance between their copies of the picture.
    pub distance: u32,
    /// Distinct advertisers showing the picture.
    pub advertisers: usize,
    /// [`strength`] of the link.
    pub strength: f32,
}

/// Image links among ads. `pictures[i]` are the fingerprints of the pictures ad `i` shows;
/// `advertiser[i]` is a key standing for its advertiser (ads with one key count once). Two fingerprints
/// are one picture under [`Fingerprint::is_copy`] with `radius` and `max_colour`. Returns the star links
/// of each picture (from the lowest ad showing it to each other one) whose strength reaches
/// `min_strength`.
pub fn image_joins(
    pictures: &[Vec<Fingerprint>],
    advertiser: &[usize],
    radius: u32,
    max_colour: f32,
    min_strength: f32,
) -> Vec<ImageJoin> {
    // Distinct fingerprints and the ads showing each.
    let mut users: HashMap<Fingerprint, Vec<usize>> = HashMap::new();
    for (i, fps) in pictures.iter().enumerate() {
        for fp in fps {
            let list = users.entry(*fp).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut distinct: Vec<(Fingerprint, Vec<usize>)> = users.into_iter().collect();
    // Most-shown first, so the leader of a group is its most common form; ties by hash, then thumbnail
    // (deterministic).
    distinct.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.hash.cmp(&b.0.hash)).then(a.0.thumb.cmp(&b.0.thumb)));
    let mut index = HashIndex::new();
    let mut leaders: Vec<Fingerprint> = Vec::new();
    let mut groups: Vec<Vec<(u64, usize)>> = Vec::new();
    for (fp, ads) in &distinct {
        let found = index
            .within(fp.hash, radius)
            .into_iter()
            .find(|&(leader, _)| colour_difference(&leaders[leader].thumb, &fp.thumb) <= max_colour);
        let g = match found {
            Some((leader, _)) => leader,
            None => {
                groups.push(Vec::new());
                leaders.push(*fp);
                index.insert(fp.hash)
            }
        };
        groups[g].extend(ads.iter().map(|&a| (fp.hash, a)));
    }
    let mut out = Vec::new();
    for members in groups {
        let mut ads: Vec<usize> = members.iter().map(|&(_, a)| a).collect();
        ads.sort_unstable();
        ads.dedup();
        if ads.len() < 2 {
            continue;
        }
        let mut keys: Vec<usize> = ads.iter().map(|&a| advertiser[a]).collect();
        keys.sort_unstable();
        keys.dedup();
        let n_adv = keys.len();
        if weight(n_adv) == 0.0 {
            continue;
        }
        let centre = ads[0];
        let centre_hashes: Vec<u64> = members.iter().filter(|&&(_, a)| a == centre).map(|&(h, _)| h).collect();
        for &other in &ads[1..] {
            let d = members
                .iter()
                .filter(|&&(_, a)| a == other)
                .flat_map(|&(h, _)| centre_hashes.iter().map(move |&c| distance(c, h)))
                .min()
                .unwrap_or(64);
            let s = strength(d, n_adv);
            if s >= min_strength {
                out.push(ImageJoin { a: centre, b: other, distance: d, advertisers: n_adv, strength: s });
            }
        }
    }
    out.sort_by_key(|j| (j.a, j.b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_finds_every_hash_within_the_radius() {
        let mut idx = HashIndex::new();
        let base = 0x0123_4567_89AB_CDEFu64;
        // Ten bits flipped spread over all four bands, and one hash eleven bits away.
        let near = base ^ 0b111 ^ (0b111 << 16) ^ (0b11 << 32) ^ (0b11 << 48);
        let far = near ^ (1 << 63);
        let (a, b) = (idx.insert(near), idx.insert(far));
        let found = idx.within(base, 10);
        assert_eq!(found, vec![(a, 10)]);
        assert_eq!(idx.within(base, 11), vec![(a, 10), (b, 11)]);
    }

    /// A thumbnail of one colour, with one pixel changed by `delta` in each channel.
    fn thumb(rgb: [u8; 3], delta: u8) -> Thumb {
        let mut t = [0u8; THUMB_BYTES];
        for (i, v) in t.iter_mut().enumerate() {
            *v = rgb[i % 3];
        }
        for v in &mut t[..3] {
            *v = v.saturating_add(delta);
        }
        t
    }

    fn fp(hash: u64, thumb: Thumb) -> Fingerprint {
        Fingerprint { hash, thumb }
    }

    #[test]
    fn a_common_picture_links_nobody_and_a_shared_one_links_its_ads() {
        let photo = 0xFFFF_0000_FFFF_0000u64;
        let logo = 0x1234_5678_9ABC_DEF0u64;
        let (grey, red) = (thumb([90, 90, 90], 0), thumb([200, 30, 30], 0));
        let mut pictures: Vec<Vec<Fingerprint>> = (0..40).map(|_| vec![fp(logo, grey)]).collect();
        pictures[3].push(fp(photo ^ 0b1011, thumb([200, 30, 30], 40))); // a recompressed copy
        pictures[7].push(fp(photo, red));
        pictures[9].push(fp(photo ^ (1 << 40), red));
        let advertiser: Vec<usize> = (0..40).collect();
        let joins = image_joins(&pictures, &advertiser, NEAR_DUPLICATE_DISTANCE, MAX_COLOUR_DIFFERENCE, 0.5);
        let pairs: Vec<(usize, usize, u32)> = joins.iter().map(|j| (j.a, j.b, j.distance)).collect();
        assert_eq!(pairs, vec![(3, 7, 3), (3, 9, 4)]);
        assert!(joins.iter().all(|j| j.advertisers == 3 && j.strength > 0.9));
    }

    #[test]
    fn a_near_hash_with_other_colours_is_another_picture() {
        let h = 0x0F0F_F0F0_0F0F_F0F0u64;
        let (blue, orange) = (thumb([20, 40, 200], 0), thumb([230, 140, 20], 0));
        assert!(colour_difference(&blue, &orange) > MAX_COLOUR_DIFFERENCE);
        let pictures = vec![vec![fp(h, blue)], vec![fp(h ^ 0b11, orange)], vec![fp(h ^ 0b1, blue)]];
        let joins = image_joins(&pictures, &[0, 1, 2], NEAR_DUPLICATE_DISTANCE, MAX_COLOUR_DIFFERENCE, 0.5);
        let pairs: Vec<(usize, usize)> = joins.iter().map(|j| (j.a, j.b)).collect();
        assert_eq!(pairs, vec![(0, 2)], "only the copy with the same colours is linked");
        assert!(Fingerprint::from_parts(h, &blue).is_some());
        assert!(Fingerprint::from_parts(h, &blue[..10]).is_none(), "a short thumbnail is no fingerprint");
    }

    #[test]
    fn many_advertisers_weaken_a_picture_until_it_links_nobody() {
        assert_eq!(weight(SHARED_ADVERTISERS), 1.0);
        assert!((weight(SHARED_ADVERTISERS * 2) - 0.5).abs() < 1e-6);
        assert_eq!(weight(MAX_ADVERTISERS + 1), 0.0);
        // Ten ads of two advertisers count as two: full weight.
        let red = thumb([200, 30, 30], 0);
        let pictures: Vec<Vec<Fingerprint>> = (0..10).map(|_| vec![fp(7, red)]).collect();
        let two: Vec<usize> = (0..10).map(|i| i % 2).collect();
        let joins = image_joins(&pictures, &two, NEAR_DUPLICATE_DISTANCE, MAX_COLOUR_DIFFERENCE, 0.5);
        assert_eq!(joins.len(), 9);
        assert!(joins.iter().all(|j| j.a == 0 && j.advertisers == 2 && j.strength == 1.0));
    }
}
