//! Decomposes the risk gap between the language versions of the parallel job sets of `data/blind/`
//! and their English version, along the pasted-text path:
//!
//! ```text
//! cargo run --release -p redflag-classifier --example parity_probe -- data/blind/third/jobs-parallel.jsonl [...] [--model DIR] [-v]
//! ```
//!
//! Each assessment's shown log-odds is split into its indicator part (the weights of the catalogue
//! indicators that fired) and the rest (the text model, calibration and prior). Per language it prints
//! ROC-AUC, the share of ads in the English version's verdict band, that share if the translation had
//! its English version's text part (or indicator part), the mean gaps of both parts, and the
//! correlation of the text part with the English one; then, per indicator, how often it fired in the
//! English version only and in a translation only. `-v` adds one line per ad, `--time` the scoring
//! speed per language.
use redflag_classifier::{AdInput, Classifier};
use redflag_core::AdKind;
use std::collections::BTreeMap;

const LANGS: [&str; 5] = ["en", "es", "fr", "pt", "id"];

/// One assessment: probability, text part and indicator part of the log-odds, fired indicators.
type Scored = (f64, f64, f64, BTreeMap<String, f64>);

fn pasted(t: &serde_json::Value) -> (String, String) {
    let s = |k: &str| t[k].as_str().unwrap_or("").to_string();
    let mut body = String::new();
    for k in ["company", "location", "salary"] {
        let l = s(k);
        if !l.trim().is_empty() {
            body.push_str(l.trim());
            body.push('\n');
        }
    }
    if !body.is_empty() {
        body.push('\n');
    }
    body.push_str(&s("body"));
    (s("title"), body)
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-7, 1.0 - 1e-7);
    (p / (1.0 - p)).ln()
}

fn band(p: f64, t: f64, s: f64) -> u8 {
    if p >= t {
        2
    } else if p >= s {
        1
    } else {
        0
    }
}

fn sig(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let c = match args.iter().position(|a| a == "--model") {
        Some(i) => Classifier::from_dir(std::path::Path::new(&args[i + 1])).unwrap(),
        None => Classifier::bundled().unwrap(),
    };
    let head = &c.model(AdKind::Job).config.heads["text"];
    let (t, s) = (head.threshold, head.suspicious_threshold);
    let verbose = args.iter().any(|a| a == "-v");
    for file in args.iter().filter(|a| a.ends_with(".jsonl")) {
        let ads: Vec<serde_json::Value> = std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let pos: Vec<bool> = ads.iter().map(|a| a["label"] == "scam").collect();
        // per lang: (probability, text part, indicator part, fired ids with weight)
        let mut res: BTreeMap<&str, Vec<Scored>> = BTreeMap::new();
        for lang in LANGS {
            let owned: Vec<(String, String)> = ads.iter().map(|a| pasted(&a["texts"][lang])).collect();
            let inputs: Vec<AdInput<'_>> =
                owned.iter().map(|(t, b)| AdInput::new(t, b).with_kind(AdKind::Job)).collect();
            let start = std::time::Instant::now();
            let out = c.assess_batch(&inputs);
            if args.iter().any(|a| a == "--time") {
                let secs = start.elapsed().as_secs_f64();
                println!("{lang}: {} ads in {secs:.3} s = {:.0} ads/s", inputs.len(), inputs.len() as f64 / secs);
            }
            res.insert(
                lang,
                out.iter()
                    .map(|a| {
                        let ind: BTreeMap<String, f64> = a
                            .indicators
                            .iter()
                            .filter(|f| !f.id.starts_with("model."))
                            .map(|f| (f.id.clone(), f64::from(f.weight)))
                            .collect();
                        let p = f64::from(a.probability);
                        let isum: f64 = ind.values().sum();
                        (p, logit(p) - isum, isum, ind)
                    })
                    .collect(),
            );
        }
        println!("== {file}");
        let en = &res["en"];
        let mut miss: BTreeMap<String, [i32; 2]> = BTreeMap::new();
        for lang in LANGS {
            let r = &res[lang];
            let scores: Vec<f64> = r.iter().map(|x| x.0).collect();
            let auc = redflag_classifier::metrics::roc_auc(&scores, &pos);
            let n = r.len() as f64;
            let same = r.iter().zip(en).filter(|(x, e)| band(x.0, t, s) == band(e.0, t, s)).count() as f64 / n;
            // counterfactual: English text part with own indicators; own text part with English indicators
            let same_text_en =
                r.iter().zip(en).filter(|(x, e)| band(sig(e.1 + x.2), t, s) == band(e.0, t, s)).count() as f64 / n;
            let same_ind_en =
                r.iter().zip(en).filter(|(x, e)| band(sig(x.1 + e.2), t, s) == band(e.0, t, s)).count() as f64 / n;
            let dt: f64 = r.iter().zip(en).map(|(x, e)| x.1 - e.1).sum::<f64>() / n;
            let di: f64 = r.iter().zip(en).map(|(x, e)| x.2 - e.2).sum::<f64>() / n;
            let adt: f64 = r.iter().zip(en).map(|(x, e)| (x.1 - e.1).abs()).sum::<f64>() / n;
            let adi: f64 = r.iter().zip(en).map(|(x, e)| (x.2 - e.2).abs()).sum::<f64>() / n;
            let dr: f64 = r.iter().zip(en).map(|(x, e)| 100.0 * (x.0 - e.0)).sum::<f64>() / n;
            // text-part correlation with English
            let (mx, me) = (r.iter().map(|x| x.1).sum::<f64>() / n, en.iter().map(|x| x.1).sum::<f64>() / n);
            let cov: f64 = r.iter().zip(en).map(|(x, e)| (x.1 - mx) * (e.1 - me)).sum();
            let vx: f64 = r.iter().map(|x| (x.1 - mx).powi(2)).sum();
            let ve: f64 = en.iter().map(|e| (e.1 - me).powi(2)).sum();
            println!(
                "{lang}: auc {auc:.3} same_band {same:.2} | if_text_as_en {same_text_en:.2} if_ind_as_en {same_ind_en:.2} | risk_gap {dr:+.1} text_gap {dt:+.2} (|{adt:.2}|) ind_gap {di:+.2} (|{adi:.2}|) text_mean {mx:+.2} sd {:.2} corr_en {:.2}",
                (vx / n).sqrt(),
                cov / (vx.sqrt() * ve.sqrt())
            );
            if lang != "en" {
                for (x, e) in r.iter().zip(en) {
                    for (id, w) in &e.3 {
                        if !x.3.contains_key(id) {
                            miss.entry(format!("{id} ({w:+.2})")).or_default()[0] += 1;
                        }
                    }
                    for (id, w) in &x.3 {
                        if !e.3.contains_key(id) {
                            miss.entry(format!("{id} ({w:+.2})")).or_default()[1] += 1;
                        }
                    }
                }
            }
        }
        println!("indicator: [fires in en only, fires in translation only] summed over 4 languages");
        for (k, v) in &miss {
            println!("  {k}: {v:?}");
        }
        if verbose {
            for (i, a) in ads.iter().enumerate() {
                let e = &en[i];
                let row: Vec<String> = LANGS[1..]
                    .iter()
                    .map(|l| {
                        let x = &res[l][i];
                        format!("{l} {:.0}/{:+.1}", 100.0 * x.0, x.1 - e.1)
                    })
                    .collect();
                println!(
                    "{} {} en {:.0} t{:+.1} i{:+.1} | {}",
                    a["id"],
                    a["label"],
                    100.0 * e.0,
                    e.1,
                    e.2,
                    row.join(" ")
                );
            }
        }
    }
}
