//! Integration tests of redflag-imagehash.

mod bad_input;
mod robustness;
