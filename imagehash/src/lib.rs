//! Ad images as evidence: what format a body really is, whether it is small enough to decode, and its
//! fingerprint, so that copies of one photo (resized, recompressed, slightly cropped) are found.
//!
//! The only crate that depends on `image`: the crawler fingerprints images here at fetch time and stores
//! the fingerprint; analysis compares stored fingerprints (`redflag_core::link::image`) and never
//! decodes.
//!
//! A picture's fingerprint ([`Fingerprint`]) is a 64-bit difference hash (dHash: `image_hasher`'s
//! gradient hash on a 9 × 8 grey thumbnail) and an 8 × 8 colour thumbnail; two pictures are copies of
//! one another when their hashes differ in at most [`NEAR_DUPLICATE_DISTANCE`] bits and their
//! thumbnails by at most [`MAX_COLOUR_DIFFERENCE`] (see `redflag_core::link::image`). The thresholds
//! were chosen by measurement on generated variants (see `tests/it/robustness.rs` and
//! `docs/benchmarks.md`). Nothing here looks at faces or people: the fingerprint describes the whole
//! picture's light and dark areas and colours, nothing else.

pub mod synth;

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader};
use image_hasher::{HashAlg, HasherConfig};

/// The fingerprint, its distances and thresholds live with the linking that uses them (core stays free
/// of `image`).
pub use redflag_core::link::image::{
    Fingerprint, MAX_COLOUR_DIFFERENCE, NEAR_DUPLICATE_DISTANCE, THUMB_SIDE, Thumb, colour_difference, distance,
};

/// What went wrong with an image body.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not one of the raster formats kept (JPEG, PNG, GIF, WebP); SVG and anything else
    /// are refused.
    #[error("not a JPEG, PNG, GIF or WebP image")]
    Unsupported,
    /// The picture is larger than the cap.
    #[error("{width} × {height} pixels is more than the limit of {max} pixels")]
    TooManyPixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// The cap.
        max: u64,
    },
    /// The bytes claim a format but do not decode.
    #[error("cannot decode the {format} image: {reason}")]
    Decode {
        /// The format the bytes claim.
        format: &'static str,
        /// The decoder's reason.
        reason: String,
    },
}

/// A raster format the crawler keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// GIF (the first frame is hashed).
    Gif,
    /// WebP.
    Webp,
}

impl Format {
    /// The format the bytes start like, from their magic numbers (never from a header or a name).
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Format::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Format::Webp)
        } else {
            None
        }
    }

    /// The format a `Content-Type` names (parameters ignored), if it is one of the kept ones.
    pub fn from_content_type(ct: &str) -> Option<Format> {
        let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match mime.as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Format::Jpeg),
            "image/png" => Some(Format::Png),
            "image/gif" => Some(Format::Gif),
            "image/webp" => Some(Format::Webp),
            _ => None,
        }
    }

    /// The content type the image is stored and served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Gif => "GIF",
            Format::Webp => "WebP",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::Gif => ImageFormat::Gif,
            Format::Webp => ImageFormat::WebP,
        }
    }
}

/// A checked, hashed image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hashed {
    /// Its format, from its bytes.
    pub format: Format,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The 64-bit perceptual hash.
    pub hash: u64,
    /// The colour thumbnail.
    pub thumb: Thumb,
}

impl Hashed {
    /// What linking compares.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint { hash: self.hash, thumb: self.thumb }
    }
}

/// Checks and hashes an image body: the format is sniffed from the bytes, the size is read from the
/// header and checked against `max_pixels` before anything is decoded, and the decoder's own memory
/// limit stays on. CPU work (a few milliseconds for a photo): call it off the async executor.
pub fn hash(bytes: &[u8], max_pixels: u64) -> Result<Hashed, Error> {
    let format = Format::sniff(bytes).ok_or(Error::Unsupported)?;
    let decode_err = |e: image::ImageError| Error::Decode { format: format.name(), reason: e.to_string() };
    let reader = || ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let (width, height) = reader().into_dimensions().map_err(decode_err)?;
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(Error::TooManyPixels { width, height, max: max_pixels });
    }
    let img = reader().decode().map_err(decode_err)?;
    Ok(Hashed { format, width, height, hash: hash_image(&img), thumb: thumbnail(&img) })
}

/// The perceptual hash of a decoded picture.
pub fn hash_image(img: &DynamicImage) -> u64 {
    let hasher = HasherConfig::new().hash_size(8, 8).hash_alg(HashAlg::Gradient).to_hasher();
    let h = hasher.hash_image(img);
    let mut bytes = [0u8; 8];
    for (b, v) in bytes.iter_mut().zip(h.as_bytes()) {
        *b = *v;
    }
    u64::from_be_bytes(bytes)
}

/// The colour thumbnail of a decoded picture: the whole picture scaled to `THUMB_SIDE` × `THUMB_SIDE`
/// (triangle filter), red, green and blue, row by row.
pub fn thumbnail(img: &DynamicImage) -> Thumb {
    let side = THUMB_SIDE as u32;
    let small = img.resize_exact(side, side, FilterType::Triangle).to_rgb8();
    let mut out = [0u8; redflag_core::link::image::THUMB_BYTES];
    for (o, v) in out.iter_mut().zip(small.as_raw()) {
        *o = *v;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_read_from_magic_numbers_not_names() {
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"GIF89a...."), Some(Format::Gif));
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(Format::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(Format::from_content_type("image/svg+xml"), None);
        assert_eq!(Format::from_content_type("IMAGE/PNG; charset=binary"), Some(Format::Png));
        assert_eq!(hash(b"<svg/>", 1000), Err(Error::Unsupported));
    }

    #[test]
    fn pixel_cap_is_checked_before_decoding() {
        let img = synth::pattern(7, 200, 100);
        let png = synth::png(&img);
        assert!(matches!(hash(&png, 19_999), Err(Error::TooManyPixels { width: 200, height: 100, .. })));
        let h = hash(&png, 20_000).unwrap();
        assert_eq!((h.format, h.width, h.height), (Format::Png, 200, 100));
        let broken = &png[..png.len() / 3];
        assert!(matches!(hash(broken, 20_000), Err(Error::Decode { format: "PNG", .. })));
    }
}
