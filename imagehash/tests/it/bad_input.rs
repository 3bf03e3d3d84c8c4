//! Bad picture bodies give clear errors, never a panic or a large allocation: bytes that are no raster
//! format, a format's magic with nothing decodable after it, a header claiming more pixels than the cap
//! (refused from the header alone, before anything is decoded), and random bytes.

use redflag_imagehash::synth::{self, png_header_only};
use redflag_imagehash::{Error, hash};

#[test]
fn a_header_claiming_too_many_pixels_is_refused_before_decoding() {
    let bomb = png_header_only(100_000, 100_000);
    assert_eq!(bomb.len(), 57, "the claim costs a few bytes");
    let started = std::time::Instant::now();
    assert_eq!(hash(&bomb, 40_000_000), Err(Error::TooManyPixels { width: 100_000, height: 100_000, max: 40_000_000 }));
    assert!(started.elapsed().as_millis() < 500, "refused from the header, not by trying to decode");
    // Under the cap, the same header is read and then the missing pixel data is a decoding error.
    assert!(matches!(hash(&png_header_only(10, 10), 1_000), Err(Error::Decode { format: "PNG", .. })));
}

#[test]
fn undecodable_and_foreign_bytes_are_errors_with_reasons() {
    let png = synth::png(&synth::pattern(3, 64, 48));
    let jpeg = synth::jpeg(&synth::pattern(3, 64, 48), 80);
    for (name, bytes, want) in [
        ("empty", Vec::new(), "not a JPEG, PNG, GIF or WebP image"),
        ("svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>".to_vec(), "not a JPEG"),
        ("html", b"<!doctype html><p>not found</p>".to_vec(), "not a JPEG"),
        ("png magic only", b"\x89PNG\r\n\x1a\n".to_vec(), "cannot decode the PNG image"),
        ("truncated png", png[..png.len() / 2].to_vec(), "cannot decode the PNG image"),
        ("jpeg magic only", jpeg[..4].to_vec(), "cannot decode the JPEG image"),
        ("gif magic only", b"GIF89a".to_vec(), "cannot decode the GIF image"),
        ("webp magic only", b"RIFF\x10\0\0\0WEBPVP8 ".to_vec(), "cannot decode the WebP image"),
    ] {
        let err = hash(&bytes, 1_000_000).expect_err(name);
        assert!(err.to_string().contains(want), "{name}: {err}");
    }
    // A JPEG cut short decodes as browsers show it, the missing part grey: a picture, not an error.
    let cut = hash(&jpeg[..jpeg.len() / 3], 1_000_000).expect("a truncated JPEG still decodes");
    assert_eq!((cut.width, cut.height), (64, 48));
    // Random bytes behind each magic number: an error every time, never a panic.
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..200 {
        let magic: &[u8] = match round % 4 {
            0 => b"\x89PNG\r\n\x1a\n",
            1 => &[0xFF, 0xD8, 0xFF],
            2 => b"GIF89a",
            _ => b"RIFF\x40\0\0\0WEBPVP8 ",
        };
        let mut bytes = magic.to_vec();
        for _ in 0..(round * 7 % 300) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.push(x as u8);
        }
        assert!(hash(&bytes, 1_000_000).is_err(), "round {round}");
    }
}
