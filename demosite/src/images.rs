//! The demo site's pictures: generated patterns (gradients, geometric shapes, noise textures; never
//! people), PNG and JPEG, with reuse planted across the ads of networks and ground truth for it.
//!
//! Pictures are assigned after the ads are generated, from a stream of their own, so the ads' text and
//! contacts are exactly what they were before pictures existed. Each picture is a spec (a pattern seed
//! and an edit) rendered when it is requested; the same spec gives the same bytes for one version of the
//! `image` crate's encoders.
//!
//! - About two networks in three post one or two photos of their own in every ad, each ad showing one
//!   of five forms of it: the original PNG, a 75 % resize, a JPEG recompression at quality 60, a 3 %
//!   crop, or a 60 % resize recompressed at quality 50. The truth names the photo
//!   (`escort-net-03/photo-1`) in [`crate::TruthAd::images`] whatever form the ad shows.
//! - Photo rings: up to two groups of three risky single ads per board, with their own contacts and
//!   text, show copies of one photo; the truth makes each a network (`escort-ring-01`), which only an
//!   image link can find.
//! - Most other ads show one photo of their own (`ad-40017/photo-1`), unlike any other.
//! - About a fifth of the ads without a photo show the site's "no photo" placeholder
//!   ([`PLACEHOLDER_PATH`]), the same bytes everywhere; it is the site's, not evidence, so the truth
//!   does not list it and nothing may link the ads that show it.

use std::collections::BTreeMap;

use redflag_imagehash::synth;

use crate::model::Ad;

/// The site's "no photo" placeholder.
pub const PLACEHOLDER_PATH: &str = "/static/no-photo.png";

const WIDTH: u32 = 240;
const HEIGHT: u32 = 180;

/// How a picture is derived from its pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Edit {
    Original,
    Resize75,
    Jpeg60,
    Crop3,
    ResizeJpeg,
}

const EDITS: [Edit; 5] = [Edit::Original, Edit::Resize75, Edit::Jpeg60, Edit::Crop3, Edit::ResizeJpeg];

impl Edit {
    fn name(self) -> &'static str {
        match self {
            Edit::Original => "orig",
            Edit::Resize75 => "r75",
            Edit::Jpeg60 => "q60",
            Edit::Crop3 => "c3",
            Edit::ResizeJpeg => "r60q50",
        }
    }

    fn jpeg(self) -> bool {
        matches!(self, Edit::Jpeg60 | Edit::ResizeJpeg)
    }
}

/// One servable picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PictureSpec {
    seed: u64,
    edit: Edit,
}

impl PictureSpec {
    /// The content type it is served with.
    pub(crate) fn content_type(self) -> &'static str {
        if self.edit.jpeg() { "image/jpeg" } else { "image/png" }
    }

    /// A validator for conditional requests: the spec itself.
    pub(crate) fn etag(self) -> String {
        format!("\"{:016x}-{}\"", self.seed, self.edit.name())
    }

    /// The bytes (a few milliseconds of work).
    pub(crate) fn render(self) -> Vec<u8> {
        let img = synth::pattern(self.seed, WIDTH, HEIGHT);
        match self.edit {
            Edit::Original => synth::png(&img),
            Edit::Resize75 => synth::png(&synth::resized(&img, 0.75)),
            Edit::Jpeg60 => synth::jpeg(&img, 60),
            Edit::Crop3 => synth::png(&synth::cropped(&img, 0.03, 0.5)),
            Edit::ResizeJpeg => synth::jpeg(&synth::resized(&img, 0.6), 50),
        }
    }
}

/// SplitMix64 of a value: the picture stream, independent of the ads' generator.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn key(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

fn ext(edit: Edit) -> &'static str {
    if edit.jpeg() { "jpg" } else { "png" }
}

/// Risky single ads per photo ring, and rings per board at most.
const RING_SIZE: usize = 3;
const RINGS_PER_BOARD: usize = 2;

/// Gives every ad its pictures (paths in `Ad::pictures`, truth ids in `Ad::picture_ids`), makes the photo
/// rings (their ads' `Ad::network`), and returns the servable pictures by path.
pub(crate) fn assign(seed: u64, boards: &mut [&mut Vec<Ad>]) -> BTreeMap<String, PictureSpec> {
    let mut specs: BTreeMap<String, PictureSpec> = BTreeMap::new();
    specs.insert(PLACEHOLDER_PATH.to_string(), PictureSpec { seed: mix(seed ^ 0x0_F070), edit: Edit::Original });
    for board in boards.iter_mut() {
        // Photo rings: a few risky single ads, one in eight, three by three in board order, become one
        // network that shares nothing but a photo.
        let candidates: Vec<usize> = board
            .iter()
            .enumerate()
            .filter(|(_, ad)| {
                ad.network.is_none() && ad.risky && (mix(seed ^ mix(u64::from(ad.id))) >> 24).is_multiple_of(8)
            })
            .map(|(i, _)| i)
            .collect();
        for (k, ring) in candidates.chunks_exact(RING_SIZE).take(RINGS_PER_BOARD).enumerate() {
            let name = format!("{}-ring-{:02}", board[ring[0]].kind.as_str(), k + 1);
            for &i in ring {
                board[i].network = Some(name.clone());
            }
        }
        for ad in board.iter_mut() {
            let h = mix(seed ^ mix(u64::from(ad.id)));
            if let Some(net) = &ad.network {
                let nk = mix(seed ^ key(net));
                if net.contains("-ring-") || !nk.is_multiple_of(3) {
                    let photos = if net.contains("-ring-") { 1 } else { 1 + (nk >> 8) % 2 };
                    let slug = net.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
                    for k in 1..=photos {
                        let edit = EDITS[((h >> (4 * k)) % EDITS.len() as u64) as usize];
                        let path = format!("/img/n/{slug}-{k}-{}.{}", edit.name(), ext(edit));
                        specs.insert(path.clone(), PictureSpec { seed: mix(nk ^ k), edit });
                        ad.pictures.push(path);
                        ad.picture_ids.push(format!("{net}/photo-{k}"));
                    }
                    continue;
                }
            }
            match h % 10 {
                0..=5 => {
                    let edit = if (h >> 20).is_multiple_of(2) { Edit::Original } else { Edit::Jpeg60 };
                    let path = format!("/img/a/{}.{}", ad.id, ext(edit));
                    specs.insert(path.clone(), PictureSpec { seed: mix(h ^ 0xA), edit });
                    ad.pictures.push(path);
                    ad.picture_ids.push(format!("ad-{}/photo-1", ad.id));
                }
                6..=7 => ad.pictures.push(PLACEHOLDER_PATH.to_string()),
                _ => {}
            }
        }
    }
    specs
}

/// The gallery every ad page carries after its text (`div.ad-photos`), empty pictures left out.
pub(crate) fn gallery(out: &mut String, ad: &Ad) {
    if ad.pictures.is_empty() {
        return;
    }
    out.push_str("<div class=\"ad-photos\">\n");
    for (i, p) in ad.pictures.iter().enumerate() {
        out.push_str(&format!("<img src=\"{p}\" alt=\"Photo {}\" width=\"{WIDTH}\" loading=\"lazy\">\n", i + 1));
    }
    out.push_str("</div>\n");
}
