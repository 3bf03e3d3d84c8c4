//! Shared helpers: run `extract` and compare entities as compact `raw => value` lines.

use redflag_core::extract::{Entity, EntityKind, ExtractOptions, Extracted, MAX_SCAN_BYTES, extract};

/// Runs `extract` with `country` as the default country and checks the invariants every result must
/// hold, whatever the input.
pub fn run(input: &str, country: Option<&str>) -> Extracted {
    let opts = ExtractOptions { default_country: country.map(str::to_string) };
    let out = extract(input, &opts);
    assert_invariants(input, &out.entities);
    out
}

/// Offsets point at `raw`, entities are sorted, and no two entities of one kind share a span.
pub fn assert_invariants(input: &str, entities: &[Entity]) {
    for e in entities {
        assert!(e.start <= e.end && e.end <= input.len().min(MAX_SCAN_BYTES), "span out of range: {e:?}");
        assert!(input.is_char_boundary(e.start) && input.is_char_boundary(e.end), "span splits a char: {e:?}");
        assert_eq!(&input[e.start..e.end], e.raw, "offsets do not match raw");
        assert!(!e.value.is_empty(), "empty value: {e:?}");
    }
    for w in entities.windows(2) {
        assert!(w[0].start <= w[1].start, "not sorted: {:?} then {:?}", w[0], w[1]);
        let same = w[0].kind == w[1].kind && w[0].start == w[1].start && w[0].end == w[1].end;
        assert!(!same, "duplicate: {:?}", w[1]);
    }
}

/// One entity as a line: `raw => value`, with ` *` appended when it is obfuscated.
pub fn line(e: &Entity) -> String {
    format!("{} => {}{}", e.raw, e.value, if e.obfuscated { " *" } else { "" })
}

/// Checks that the entities of `kind` found in `input` are exactly `expected`, in order.
pub fn check(kind: EntityKind, country: Option<&str>, input: &str, expected: &[&str]) {
    let out = run(input, country);
    let got: Vec<String> = out.of_kind(kind).map(line).collect();
    assert_eq!(got, expected, "\n{} entities in {input:?} (country {country:?})", kind.as_str());
}

/// Runs a table of `(input, expected)` cases through [`check`], reporting every failure at once.
pub fn check_all(kind: EntityKind, country: Option<&str>, cases: &[(&str, &[&str])]) {
    let mut failures = Vec::new();
    for (input, expected) in cases {
        let out = run(input, country);
        let got: Vec<String> = out.of_kind(kind).map(line).collect();
        if got != *expected {
            failures.push(format!("input:    {input:?}\nexpected: {expected:?}\ngot:      {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} {} case(s) failed (country {country:?}):\n\n{}",
        failures.len(),
        kind.as_str(),
        failures.join("\n\n")
    );
}
