//! Progress bars on a terminal, plain log lines otherwise. Everything goes to standard error so standard
//! output stays clean for `--json` and piping.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether standard error is a terminal (bars are drawn only then).
pub fn interactive() -> bool {
    std::io::stderr().is_terminal()
}

/// A bar with a known length, hidden when standard error is not a terminal.
pub fn bar(len: u64, label: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(len), draw_target());
    pb.set_style(
        ProgressStyle::with_template("{prefix:>10.bold} [{bar:30}] {pos}/{len} {per_sec} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix(label.to_string());
    pb
}

/// A spinner with a running count, for work of unknown length.
pub fn counter(label: &str) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(None, draw_target());
    pb.set_style(
        ProgressStyle::with_template("{prefix:>10.bold} {spinner} {pos} {per_sec} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_prefix(label.to_string());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Where bars draw: standard error on a terminal, nowhere otherwise.
pub fn draw_target() -> ProgressDrawTarget {
    if interactive() { ProgressDrawTarget::stderr_with_hz(10) } else { ProgressDrawTarget::hidden() }
}
