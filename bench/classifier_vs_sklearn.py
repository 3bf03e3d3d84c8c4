"""TF-IDF + logistic regression on the same grouped CV split as Redflag's classifier.

Called by classifier_vs_sklearn.sh with the fold file written by `model_tool cv-export`; prints both
models' figures side by side. Every figure is computed from out-of-fold scores: ROC-AUC, average
precision, and at an operating threshold chosen the same way for both models (the lowest whose
out-of-fold precision at the real 4.84 % fraud rate reaches 0.80) recall and F1; F1 at the
scikit-learn default of 0.5 is shown too. Throughput is scoring only (vectorise + predict), one process.
"""

import csv
import html
import json
import re
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

PREVALENCE = 0.0484
MIN_PRECISION = 0.80


def clean(s):
    return html.unescape(re.sub(r"<[^>]+>", " ", s or ""))


def load(paths):
    rows = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows[(name, r["job_id"])] = r
    return rows


def texts(r, fields):
    return "\n".join([clean(r.get("title"))] + [clean(r.get(f)) for f in fields])


def operating_point(scores, y):
    """Lowest threshold with precision at prevalence >= MIN_PRECISION; returns (threshold, recall, f1)."""
    order = np.argsort(-scores, kind="stable")
    s, ys = scores[order], y[order]
    pos, neg = ys.sum(), len(ys) - ys.sum()
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys)
    best = None
    for i in range(len(s)):
        if i + 1 < len(s) and s[i + 1] == s[i]:
            continue  # tied scores form one threshold
        tpr, fpr = tp[i] / pos, fp[i] / neg
        den = PREVALENCE * tpr + (1 - PREVALENCE) * fpr
        if den > 0 and PREVALENCE * tpr / den >= MIN_PRECISION:
            best = i
    if best is None:
        return float("nan"), 0.0, 0.0
    t = s[best]
    pred = scores >= t
    return float(t), float(pred[y == 1].mean()), float(f1_score(y, pred))


def row(name, scores, y, ads_per_sec, default_threshold=None):
    t, recall, f1 = operating_point(scores, y)
    f1_default = f"{f1_score(y, scores >= default_threshold):.3f}" if default_threshold is not None else "-"
    print(
        f"{name:<44} {roc_auc_score(y, scores):>7.4f} {average_precision_score(y, scores):>7.4f} "
        f"{recall:>9.3f} {f1:>7.3f} {f1_default:>8} {ads_per_sec:>10.0f}"
    )


def main():
    folds_csv, summary_json, *data = sys.argv[1:]
    summary = json.loads(summary_json)
    rows = load(data)
    with open(folds_csv, encoding="utf-8", newline="") as f:
        split = list(csv.DictReader(f))
    keys = [(s["file"], s["id"]) for s in split]
    y = np.array([int(s["label"]) for s in split])
    fold = np.array([int(s["fold"]) for s in split])
    ours = {h: np.array([float(s[h]) for s in split]) for h in ("fields", "text")}

    inputs = {
        "all text fields": ["company_profile", "description", "requirements", "benefits"],
        "posting only": ["description", "requirements", "benefits"],
    }
    print(f"{len(y)} ads, {y.sum()} fraudulent, {fold.max() + 1} grouped folds (the split Redflag's CV used)\n")
    print(f"{'model':<44} {'roc_auc':>7} {'pr_auc':>7} {'recall@op':>9} {'f1@op':>7} {'f1@0.5':>8} {'ads/s':>10}")
    row("redflag fields head (all EMSCAD columns)", ours["fields"], y, summary["ads_per_sec"]["fields"])
    row("redflag text head (title + posting)", ours["text"], y, summary["ads_per_sec"]["text"])
    for label, fields in inputs.items():
        docs = [texts(rows[k], fields) for k in keys]
        oof = np.zeros(len(y))
        for k in range(fold.max() + 1):
            tr, te = fold != k, fold == k
            vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=200_000)
            model = LogisticRegression(C=10.0, max_iter=2000)
            model.fit(vec.fit_transform([docs[i] for i in np.where(tr)[0]]), y[tr])
            oof[te] = model.predict_proba(vec.transform([docs[i] for i in np.where(te)[0]]))[:, 1]
        # Throughput of a model fitted on everything, scoring every ad once.
        vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=200_000)
        model = LogisticRegression(C=10.0, max_iter=2000).fit(vec.fit_transform(docs), y)
        start = time.perf_counter()
        model.predict_proba(vec.transform(docs))
        ads_per_sec = len(docs) / (time.perf_counter() - start)
        row(f"scikit-learn TF-IDF + LR ({label})", oof, y, ads_per_sec, default_threshold=0.5)


if __name__ == "__main__":
    main()
