//! Embeddings per second of the multilingual encoder for a short sentence, a text of about 128 tokens
//! and a whole job ad of about 400 tokens (`bench/encoder/texts.txt`), one text at a time and in
//! batches of 8, with the weight matrices in f32 and in 4 bits.
//!
//! ```text
//! bench/encoder/compare.sh        # this benchmark beside the reference C engine
//! cargo bench -p redflag-classifier --bench encoder
//! ```

use redflag_classifier::encoder::{Encoder, EncoderOptions, Precision, Prefix, WEIGHTS_FILE};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const BATCH: usize = 8;
const MIN_TIME: Duration = Duration::from_secs(2);

/// Runs `f` (which embeds `n` texts) repeatedly for at least `MIN_TIME`; returns embeddings per second.
fn rate(n: usize, mut f: impl FnMut()) -> f64 {
    f();
    let start = Instant::now();
    let mut reps = 0;
    while start.elapsed() < MIN_TIME {
        f();
        reps += 1;
    }
    (reps * n) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let texts = std::fs::read_to_string(root.join("bench/encoder/texts.txt")).expect("bench/encoder/texts.txt");
    let weights = root.join("models/encoder").join(WEIGHTS_FILE);
    for precision in [Precision::F32, Precision::Q4] {
        let e = Encoder::load_with(&weights, EncoderOptions { precision, ..Default::default() }).expect("encoder");
        for text in texts.lines() {
            let tokens = e.tokenize(text, Prefix::Passage).len() + 2;
            let single = rate(1, || {
                e.embed(text, Prefix::Passage).unwrap();
            });
            let batch: Vec<&str> = vec![text; BATCH];
            let batched = rate(BATCH, || {
                e.embed_batch(&batch, Prefix::Passage).unwrap();
            });
            println!(
                "candle {precision:?}\t{tokens} tokens\tone at a time {single:.1}/s\tbatch of {BATCH} {batched:.1}/s"
            );
        }
    }
}
