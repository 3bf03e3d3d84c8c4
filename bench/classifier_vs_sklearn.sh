#!/usr/bin/env bash
# Redflag's job-fraud classifier against TF-IDF + logistic regression (scikit-learn) on the same grouped
# cross-validation split of the EMSCAD training data, side by side: ROC-AUC, PR-AUC, recall and F1 at an
# operating point, and scoring throughput.
#
#   bench/classifier_vs_sklearn.sh [EMSCAD_DIR]      (default ../shared/data/emscad)
#
# Creates a throw-away virtualenv with scikit-learn in a temporary directory (removed on exit).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/emscad}
TRAIN=$DATA/train.csv
EXTRA=$DATA/supplementary/train_legit_partial.csv
for f in "$TRAIN" "$EXTRA"; do
  [[ -f $f ]] || { echo "missing $f" >&2; exit 2; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== building the classifier tool (release)" >&2
cargo build --release --quiet -p redflag-classifier --example model_tool
echo "== Redflag grouped cross-validation (exports the split)" >&2
SUMMARY=$(./target/release/examples/model_tool cv-export job-fraud "$WORK/folds.csv" "$TRAIN" "$EXTRA")

echo "== throw-away virtualenv with scikit-learn" >&2
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check scikit-learn numpy >&2
"$WORK/venv/bin/python" bench/classifier_vs_sklearn.py "$WORK/folds.csv" "$SUMMARY" "$TRAIN" "$EXTRA"
