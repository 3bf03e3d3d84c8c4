//! Linking throughput on a synthetic population: `cargo run --release -p redflag-core --example
//! bench_link -- [ADS]` (default 100,000). Prints ads, links, groups and seconds.

use std::time::Instant;

use redflag_core::link::{LinkInput, LinkOptions, link};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let words: Vec<String> = (0..3000).map(|i| format!("w{i:x}")).collect();
    let mut state = 12345u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let templates: Vec<String> = (0..n / 50)
        .map(|_| (0..60).map(|_| words[next() % words.len()].as_str()).collect::<Vec<_>>().join(" "))
        .collect();
    let ads: Vec<(String, String)> = (0..n)
        .map(|i| {
            if i % 4 == 0 {
                // One in four ads belongs to a network: its template with a few words changed.
                let t = &templates[next() % templates.len()];
                let mut w: Vec<&str> = t.split(' ').collect();
                for _ in 0..4 {
                    let k = next() % w.len();
                    w[k] = words[next() % words.len()].as_str();
                }
                (w.join(" "), format!("phone:+1{:010}", next() % (n as usize / 3).max(1)))
            } else {
                let text = (0..60).map(|_| words[next() % words.len()].as_str()).collect::<Vec<_>>().join(" ");
                (text, format!("phone:+1{i:010}"))
            }
        })
        .collect();
    let inputs: Vec<LinkInput<'_>> = ads
        .iter()
        .enumerate()
        .map(|(i, (t, c))| LinkInput { ad_id: i as i64, contacts: vec![c.clone()], text: t, city: None })
        .collect();
    let started = Instant::now();
    let nets = link(&inputs, &LinkOptions::default());
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{n} ads: {} links, {} groups, {secs:.2} s ({:.0} ads/s)",
        nets.links.len(),
        nets.kind_of.len(),
        n as f64 / secs
    );
}
