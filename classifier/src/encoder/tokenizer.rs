//! SentencePiece unigram tokenisation as XLM-RoBERTa's tokenizer does it: a per-character
//! normalisation map (NFKC-style folding stored in the weights file), runs of spaces collapsed,
//! a word-start marker `▁` before the text and in place of every space, then the most probable split
//! into pieces (Viterbi over the pieces' log-probabilities, one unknown character at a time where no
//! piece fits).

use super::format::VocabData;
use std::collections::HashMap;

/// The word-start marker (U+2581) that replaces spaces.
const WORD_START: char = '\u{2581}';

/// A unigram tokenizer over a (possibly pruned) vocabulary.
pub(crate) struct Tokenizer {
    pieces: HashMap<Vec<u8>, u32>,
    scores: Vec<f32>,
    source_ids: Vec<u32>,
    norm_from: Vec<u32>,
    norm_offsets: Vec<u32>,
    norm_to: Vec<u32>,
    max_piece_bytes: usize,
    pub bos: u32,
    pub eos: u32,
    unk: u32,
    unk_score: f32,
}

impl Tokenizer {
    pub fn new(v: VocabData) -> Self {
        let mut pieces = HashMap::with_capacity(v.pieces.len());
        let mut max_piece_bytes = 1;
        for (i, p) in v.pieces.iter().enumerate() {
            if p.is_empty() {
                continue;
            }
            max_piece_bytes = max_piece_bytes.max(p.len());
            // On a duplicate string the lower id wins.
            pieces.entry(p.as_bytes().to_vec()).or_insert(i as u32);
        }
        Tokenizer {
            pieces,
            scores: v.scores,
            source_ids: v.source_ids,
            norm_from: v.norm_from,
            norm_offsets: v.norm_offsets,
            norm_to: v.norm_to,
            max_piece_bytes,
            bos: v.bos,
            eos: v.eos,
            unk: v.unk,
            unk_score: v.unk_score,
        }
    }

    /// Number of pieces.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// The id a piece had in the unpruned vocabulary.
    pub fn source_id(&self, id: u32) -> Option<u32> {
        self.source_ids.get(id as usize).copied()
    }

    /// The normalised text with spaces turned into word-start markers and one marker in front (a text
    /// that starts with a space gets its marker from that space).
    fn normalise(&self, text: &str) -> String {
        let mut chars: Vec<char> = Vec::with_capacity(text.len());
        for c in text.chars() {
            match self.norm_from.binary_search(&(c as u32)) {
                Ok(i) => {
                    let (a, b) = (self.norm_offsets[i] as usize, self.norm_offsets[i + 1] as usize);
                    chars.extend(
                        self.norm_to[a..b].iter().map(|&r| char::from_u32(r).unwrap_or(char::REPLACEMENT_CHARACTER)),
                    );
                }
                Err(_) => chars.push(c),
            }
        }
        // Runs of spaces count as one.
        chars.dedup_by(|b, a| *a == ' ' && *b == ' ');
        let mut out = String::with_capacity(chars.len() * 2 + 3);
        if chars.first() != Some(&' ') {
            out.push(WORD_START);
        }
        out.extend(chars.iter().map(|&c| if c == ' ' { WORD_START } else { c }));
        out
    }

    /// The content pieces of `text` (no begin or end token).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let norm = self.normalise(text);
        let starts: Vec<usize> = norm.char_indices().map(|(i, _)| i).chain([norm.len()]).collect();
        let n = starts.len() - 1;
        // best[e]: best score of a split of the first e characters; back[e]: (piece or unknown, start).
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut back: Vec<(Option<u32>, usize)> = vec![(None, 0); n + 1];
        best[0] = 0.0;
        let bytes = norm.as_bytes();
        for i in 0..n {
            let from = starts[i];
            for e in i + 1..=n {
                let len = starts[e] - from;
                if len > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.pieces.get(&bytes[from..starts[e]])
                    && id != self.unk
                {
                    let s = best[i] + self.scores[id as usize];
                    if s > best[e] {
                        best[e] = s;
                        back[e] = (Some(id), i);
                    }
                }
            }
            let s = best[i] + self.unk_score;
            if s > best[i + 1] {
                best[i + 1] = s;
                back[i + 1] = (None, i);
            }
        }
        let mut ids = Vec::new();
        let mut e = n;
        while e > 0 {
            let (id, from) = back[e];
            ids.push(id.unwrap_or(self.unk));
            e = from;
        }
        ids.reverse();
        ids
    }
}
