//! Integration tests for `redflag-core`: entity extraction, language detection and linking.
//!
//! Most tests are tables run through one `check` helper per concern (see `support`), so a new case is
//! one line.

mod ages;
mod cities;
mod dates;
mod emails;
mod handles;
mod hostile;
mod lang;
mod link;
mod networks;
mod phones;
mod prices;
mod rng;
mod support;
