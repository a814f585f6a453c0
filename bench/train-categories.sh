#!/usr/bin/env bash
# Fits the local provider's category model on every labelled image the project has, prints its
# figures cross-validated by source folder (5 folds), and writes the model that ships in the jar.
# The labelled images: the dev set (its folder, with labels.json, given as DEV_CORPUS; it is not in
# this repository) and corpus/extra (110 public-domain and CC0 images, in this repository).
# Usage: bench/train-categories.sh DEV_CORPUS [OUT]   (OUT defaults to the shipped model's source file)
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DEV="$(cd "${1:?usage: bench/train-categories.sh DEV_CORPUS [OUT]}" && pwd)"
EXTRA="$HOME_DIR/corpus/extra"
OUT="${2:-$HOME_DIR/src/main/resources/dev/imagevision/vision/local/category-model.json}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ln -s "$DEV" "$WORK/dev"
ln -s "$EXTRA" "$WORK/extra"
# one label file whose paths start with the set's name, so folds split by source folder across both sets
node -e '
  const fs = require("fs");
  const out = [];
  for (const [name, file] of [["dev", process.argv[1]], ["extra", process.argv[2]]]) {
    for (const l of JSON.parse(fs.readFileSync(file, "utf8"))) out.push({...l, path: name + "/" + l.path});
  }
  process.stdout.write(JSON.stringify(out, null, 1) + "\n");
' "$DEV/labels.json" "$EXTRA/labels.json" > "$WORK/labels.json"
"$HOME_DIR/bin/imagevision" eval --labels "$WORK/labels.json" --images "$WORK" --folds 5 --save-category-model "$OUT"
