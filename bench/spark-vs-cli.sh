#!/usr/bin/env bash
# The Spark engine against the CLI on one machine: a generated site of IMAGES images scored cold with
# the offline provider by `imagevision score` and by `imagevision-spark score --master local[N]`, then a
# warm run of each (nothing to do: what is left is start-up and the per-image facts), and each engine's
# start-up alone on a one-image site. Checks both cold runs published the same bytes.
# usage: bench/spark-vs-cli.sh [IMAGES] [MASTER] [WORK_DIR]   (defaults 10000 local[2] a new temp dir)
# The figures are printed and written to target/bench/spark-vs-cli.json.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
IMAGES="${1:-10000}"
MASTER="${2:-local[2]}"
WORK="${3:-$(mktemp -d)}"
IV="$HOME_DIR/bin/imagevision"
IVS="$HOME_DIR/bin/imagevision-spark"
mkdir -p "$HOME_DIR/target/bench"
# one clock for both engines, so their outputs can be compared byte for byte (scored_at, generated_at)
export IMAGEVISION_FIXED_CLOCK="${IMAGEVISION_FIXED_CLOCK:-2026-11-01T12:00:00Z}"

[ -d "$WORK/site" ] || "$IV" bench site --out "$WORK/site" --images "$IMAGES" 2>/dev/null
[ -d "$WORK/tiny" ] || "$IV" bench site --out "$WORK/tiny" --images 1 2>/dev/null
for copy in cli spark; do rm -rf "$WORK/$copy"; cp -r "$WORK/site" "$WORK/$copy"; done
"$IV" --version >/dev/null; "$IVS" --help >/dev/null   # build both before anything is timed

# prints "<wall seconds> <peak RSS KB>" of a command, its stdout kept in $WORK/last.json
timed() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/last.json" 2>"$WORK/last.err" || {
    echo "failed: $*" >&2; cat "$WORK/last.err" >&2; exit 1; }
  cat "$WORK/time.txt"
}

echo "cold, $IMAGES images, offline provider:" >&2
read -r cli_cold cli_cold_rss < <(timed "$IV" score --root "$WORK/cli" --provider local --json)
echo "  CLI:                 ${cli_cold} s, ${cli_cold_rss} KB peak RSS" >&2
read -r spark_cold spark_cold_rss < <(timed "$IVS" score --root "$WORK/spark" --provider local --master "$MASTER" --json)
tasks=$(sed -n 's/.*"tasks":\([0-9]*\).*/\1/p' "$WORK/last.json")
echo "  Spark $MASTER:      ${spark_cold} s, ${spark_cold_rss} KB peak RSS (driver and executors), $tasks tasks" >&2
if diff -rq -x .image-cache "$WORK/cli" "$WORK/spark" >/dev/null; then same=true; else same=false; fi
echo "  same published bytes: $same" >&2

echo "warm (nothing changed):" >&2
read -r cli_warm _ < <(timed "$IV" score --root "$WORK/cli" --provider local --json)
read -r spark_warm _ < <(timed "$IVS" score --root "$WORK/spark" --provider local --master "$MASTER" --json)
echo "  CLI ${cli_warm} s, Spark ${spark_warm} s" >&2

echo "start-up (a one-image site, warm):" >&2
"$IV" score --root "$WORK/tiny" --provider local >/dev/null 2>&1
"$IVS" score --root "$WORK/tiny" --provider local --master "$MASTER" >/dev/null 2>&1
read -r cli_start _ < <(timed "$IV" score --root "$WORK/tiny" --provider local --json)
read -r spark_start _ < <(timed "$IVS" score --root "$WORK/tiny" --provider local --master "$MASTER" --json)
echo "  CLI ${cli_start} s, Spark ${spark_start} s" >&2

cat >"$HOME_DIR/target/bench/spark-vs-cli.json" <<JSON
{"images": $IMAGES, "master": "$MASTER", "cores": $(nproc),
 "cold_s": {"cli": $cli_cold, "spark": $spark_cold}, "cold_peak_rss_kb": {"cli": $cli_cold_rss, "spark": $spark_cold_rss},
 "spark_tasks": $tasks, "same_outputs": $same,
 "warm_s": {"cli": $cli_warm, "spark": $spark_warm}, "startup_s": {"cli": $cli_start, "spark": $spark_start}}
JSON
cat "$HOME_DIR/target/bench/spark-vs-cli.json"
