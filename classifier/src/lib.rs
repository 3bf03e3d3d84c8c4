//! Scores escort and job ads for sex-trafficking and recruitment-fraud indicators, with evidence.
//!
//! - [`catalogue`]: the documented indicator catalogue and localised messages (data files).
//! - `indicators` (internal): phrase patterns per language and built-in detectors find indicators
//!   and the byte spans that triggered them.
//! - [`features`]: hashed word n-grams per field, the text side of the job model; [`gloss`]: the
//!   bilingual lexicon that lets translated job ads set the English weights; [`residual`]: the
//!   per-language corrections fitted on parallel ads, so that a translation scores as its original
//!   ([`parity`] fits and cross-validates them).
//! - [`memory`]: nearest-neighbour similarity to the labelled training ads (known campaigns).
//! - [`model`]: model files (safetensors + JSON) and the batched candle forward pass.
//! - [`encoder`]: a multilingual sentence encoder (multilingual-e5-small, 4-bit) in candle, loaded
//!   from `models/encoder/`.
//! - [`Classifier`]: assessments for one ad or a batch; [`check()`] for job seekers.
//! - [`explain`]: what moved a score beyond the indicators (the text model's strongest phrases,
//!   resemblance to known ads), reported as pseudo-indicators with evidence.
//! - [`train`], [`eval`], [`metrics`], [`data`]: training, evaluation and the data they read;
//!   [`blind`]: figures on the blind multilingual evaluation sets of `data/blind/`.
//!
//! Architecture invariant: this is the only crate that depends on candle. It reads no files except
//! the paths it is handed (training data, model directories, the encoder's weights file); the shipped
//! scoring models are compiled in.
//!
//! ```no_run
//! use redflag_classifier::{AdInput, Classifier};
//! let c = Classifier::bundled()?;
//! let a = c.assess(&AdInput::new("Hostess jobs in Dubai", "Visa fee $300, contact on WhatsApp"));
//! println!("risk {} ({:?})", a.risk, a.verdict);
//! # Ok::<(), redflag_classifier::Error>(())
//! ```

pub mod blind;
pub mod catalogue;
pub mod check;
mod classifier;
pub mod combiner;
pub mod data;
pub mod encoder;
mod error;
pub mod eval;
pub mod explain;
pub mod features;
pub mod gloss;
mod indicators;
pub mod memory;
pub mod metrics;
pub mod model;
mod optim;
pub mod parity;
pub mod residual;
pub mod train;

pub use catalogue::{Catalogue, Indicator};
pub use check::{CheckReport, MAX_CHECK_BYTES, Quote, RedFlag, check, check_bytes};
pub use classifier::{
    AdInput, Classifier, ESCORT_MODEL_DIR, JOB_MODEL_DIR, MAX_SCORED_BYTES, MAX_TITLE_BYTES, infer_kind,
};
pub use data::{Grouping, JobRecord};
pub use error::{Error, Result};
pub use eval::{
    AdView, CvOptions, CvReport, EvalOptions, EvalReport, OofPredictions, cross_validate, evaluate, evaluate_with,
    out_of_fold_predictions,
};
pub use model::Model;
pub use train::{Hyper, Task, TrainOptions, TrainReport, train};
