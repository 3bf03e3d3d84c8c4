//! Synthetic pictures for the demo site and the tests: gradients, geometric shapes and noise textures
//! drawn from a seed, never people. Also the edits a reposted photo goes through (resizing, JPEG
//! recompression, cropping), so tests can check that the hash survives them, and a header-only PNG
//! ([`png_header_only`]) for tests of the pixel cap.
//!
//! Everything is deterministic: the same seed gives the same pixels on every machine.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::{self, FilterType};
use image::{Rgb, RgbImage};

/// A small deterministic generator (SplitMix64), so pictures do not depend on any crate's RNG.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn colour(&mut self) -> [f32; 3] {
        [self.unit() * 255.0, self.unit() * 255.0, self.unit() * 255.0]
    }
}

/// A `width × height` picture drawn from `seed`: a two-colour gradient at a random angle, three to six
/// filled circles, rectangles and triangles, and a light noise texture.
pub fn pattern(seed: u64, width: u32, height: u32) -> RgbImage {
    let mut r = Mix(seed ^ 0x5EED_1A6E);
    let (c0, c1) = (r.colour(), r.colour());
    let angle = r.unit() * std::f32::consts::TAU;
    let (dx, dy) = (angle.cos(), angle.sin());
    let (w, h) = (width as f32, height as f32);
    enum Shape {
        Circle { cx: f32, cy: f32, rad: f32 },
        Rect { x0: f32, y0: f32, x1: f32, y1: f32 },
        Tri { p: [(f32, f32); 3] },
    }
    let n = 3 + (r.next() % 4) as usize;
    let shapes: Vec<(Shape, [f32; 3])> = (0..n)
        .map(|_| {
            let shape = match r.next() % 3 {
                0 => Shape::Circle { cx: r.unit() * w, cy: r.unit() * h, rad: (0.1 + r.unit() * 0.25) * w.min(h) },
                1 => {
                    let (x, y) = (r.unit() * w, r.unit() * h);
                    let (sw, sh) = ((0.15 + r.unit() * 0.35) * w, (0.15 + r.unit() * 0.35) * h);
                    Shape::Rect { x0: x - sw / 2.0, y0: y - sh / 2.0, x1: x + sw / 2.0, y1: y + sh / 2.0 }
                }
                _ => Shape::Tri {
                    p: [(r.unit() * w, r.unit() * h), (r.unit() * w, r.unit() * h), (r.unit() * w, r.unit() * h)],
                },
            };
            (shape, r.colour())
        })
        .collect();
    let noise_seed = r.next();
    let inside = |s: &Shape, x: f32, y: f32| match s {
        Shape::Circle { cx, cy, rad } => (x - cx).powi(2) + (y - cy).powi(2) <= rad * rad,
        Shape::Rect { x0, y0, x1, y1 } => x >= *x0 && x <= *x1 && y >= *y0 && y <= *y1,
        Shape::Tri { p } => {
            let side = |a: (f32, f32), b: (f32, f32)| (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0);
            let (s0, s1, s2) = (side(p[0], p[1]), side(p[1], p[2]), side(p[2], p[0]));
            (s0 >= 0.0 && s1 >= 0.0 && s2 >= 0.0) || (s0 <= 0.0 && s1 <= 0.0 && s2 <= 0.0)
        }
    };
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
        let t = (((fx / w - 0.5) * dx + (fy / h - 0.5) * dy) + 0.75).clamp(0.0, 1.5) / 1.5;
        let mut c: [f32; 3] = std::array::from_fn(|k| c0[k] * (1.0 - t) + c1[k] * t);
        for (s, col) in &shapes {
            if inside(s, fx, fy) {
                c = *col;
            }
        }
        let mut m = Mix(noise_seed ^ (u64::from(x) << 32) ^ u64::from(y));
        let jitter = (m.unit() - 0.5) * 24.0;
        Rgb([0, 1, 2].map(|k| (c[k] + jitter).clamp(0.0, 255.0) as u8))
    })
}

/// A picture of one colour (compresses to almost nothing: for tests of pixel caps).
pub fn solid(width: u32, height: u32, rgb: [u8; 3]) -> RgbImage {
    RgbImage::from_pixel(width, height, Rgb(rgb))
}

/// The picture as PNG bytes.
pub fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(PngEncoder::new(&mut out)).expect("encoding to memory cannot fail");
    out
}

/// The picture as JPEG bytes at `quality` (1–100).
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .encode_image(img)
        .expect("encoding to memory cannot fail");
    out
}

/// The picture scaled by `factor` (0.5 halves each side).
pub fn resized(img: &RgbImage, factor: f32) -> RgbImage {
    let w = ((img.width() as f32 * factor).round() as u32).max(1);
    let h = ((img.height() as f32 * factor).round() as u32).max(1);
    imageops::resize(img, w, h, FilterType::Triangle)
}

/// The picture with `share` (0.03 for 3 %) of each side cut away, split between the two edges in the
/// ratio `bias` (0 cuts only the left and top, 1 only the right and bottom).
pub fn cropped(img: &RgbImage, share: f32, bias: f32) -> RgbImage {
    let (w, h) = (img.width(), img.height());
    let cw = (w as f32 * share).round() as u32;
    let ch = (h as f32 * share).round() as u32;
    let x = (cw as f32 * (1.0 - bias)).round() as u32;
    let y = (ch as f32 * (1.0 - bias)).round() as u32;
    imageops::crop_imm(img, x, y, w - cw, h - ch).to_image()
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG chunk: length, type and data, CRC.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
}

/// A well-formed PNG claiming `width × height` pixels whose pixel data is empty: what a decompression
/// bomb's header says, in 57 bytes.
pub fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[]);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Decodes bytes written by [`png`] or [`jpeg`] (for tests that edit a stored copy again).
pub fn decode(bytes: &[u8]) -> Option<RgbImage> {
    image::load_from_memory(bytes).ok().map(|i| i.to_rgb8())
}
