#!/usr/bin/env bash
# Would a learned category vote generalise? Cross-validates, by source folder, a nearest-neighbour
# category vote over a pretrained image descriptor (MobileNetV2 features of MediaPipe's Open Images
# SSD detector, Apache-2.0, from the npm package @mediapipe/objectron) against the local provider's
# hand rules. The model is fetched with npm into WORK_DIR; nothing is added to the project.
# Usage: bench/category-vote.sh LABELS [IMAGES] [WORK_DIR]
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
LABELS="$1"
IMAGES="${2:-$(dirname "$LABELS")}"
WORK="${3:-$(mktemp -d)}"
mkdir -p "$WORK"
PACKAGE=@mediapipe/objectron@0.4.1675468480
MODEL="$WORK/object_detection_ssd_mobilenetv2_oidv4_fp16.tflite"
IV="$HOME_DIR/bin/imagevision"
"$IV" --version >/dev/null # builds the jar when sources changed
source "$HOME_DIR/bin/jdk.sh" # exports JAVA_HOME
if [ ! -f "$MODEL" ]; then
  (cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null && tar xzf mediapipe-objectron-*.tgz)
  # the model sits in the package's asset bundle; its loader script names each file's byte range
  RANGE="$(grep -oE '"filename": *"[^"]*ssd_mobilenetv2_oidv4_fp16.tflite", *"start": *[0-9]+, *"end": *[0-9]+' \
    "$WORK/package/objectron_solution_packed_assets_loader.js" | grep -oE '[0-9]+, *"end": *[0-9]+$' | tr -dc '0-9 ')"
  read -r START END <<<"$RANGE"
  tail -c +"$((START + 1))" "$WORK/package/objectron_solution_packed_assets.data" | head -c "$((END - START))" > "$MODEL"
fi
"$IV" eval --labels "$LABELS" --images "$IMAGES" --per-image --json > "$WORK/rules.json" 2> "$WORK/eval.log"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$HOME_DIR/target/imagevision.jar" \
  "$HOME_DIR/bench/CategoryVote.java" "$MODEL" "$LABELS" "$IMAGES" "$WORK/rules.json" 2> >(grep -v "^WARNING" >&2)
