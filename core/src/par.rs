//! An order-preserving parallel map over a slice on scoped threads: the one way the pipeline spreads
//! per-ad CPU work (feature extraction, entity extraction, template keys) over the machine's cores.

/// Inputs shorter than this stay on the calling thread: spawning costs more than it saves.
const MIN_PARALLEL: usize = 64;
/// The most threads one call uses.
const MAX_THREADS: usize = 8;

/// `items.iter().map(f).collect()`, computed on up to one thread per core (at most
/// [`MAX_THREADS`]), each taking one contiguous share of `items`; the result keeps the input's order.
/// A panic in `f` is resumed on the calling thread, as the sequential map would raise it.
pub fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(MAX_THREADS);
    if items.len() < MIN_PARALLEL || threads < 2 {
        return items.iter().map(f).collect();
    }
    let share = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(share).map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<U>>())).collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_for_small_and_large_inputs() {
        for n in [0, 1, 63, 64, 65, 1_000, 10_007] {
            let items: Vec<u64> = (0..n).collect();
            assert_eq!(map(&items, |x| x * 3 + 1), items.iter().map(|x| x * 3 + 1).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let items: Vec<u32> = (0..1_000).collect();
        let r = std::panic::catch_unwind(|| map(&items, |&x| if x == 999 { panic!("bad item {x}") } else { x }));
        let msg = r.unwrap_err();
        assert_eq!(msg.downcast_ref::<String>().map(String::as_str), Some("bad item 999"));
    }
}
