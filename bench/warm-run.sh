#!/usr/bin/env bash
# Warm-run benchmark (issue 2): a generated site of 1,345 small JPEGs, fully cached; times a
# `score` run including JVM start. Usage: bench/warm-run.sh [WORK_DIR] [RUNS]
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
RUNS="${2:-10}"
IV="$HOME_DIR/bin/imagevision"
SITE="$WORK/site"
[ -d "$SITE" ] || "$IV" bench site --out "$SITE" --images 1345
echo "cold run (scores and crops everything once):" >&2
/usr/bin/time -f "cold: %e s wall, %M KB peak RSS" "$IV" score --root "$SITE" --provider local >/dev/null
echo "warm runs (nothing changed; must make zero provider calls and rewrite nothing):" >&2
"$IV" score --root "$SITE" --provider local --json | grep -q '"provider_calls":0' || { echo "warm run made provider calls" >&2; exit 1; }
if command -v hyperfine >/dev/null 2>&1; then
  # the default run (new-only) and one with every image in scope, all served from the cache
  hyperfine --warmup 2 --runs "$RUNS" "$IV score --root $SITE --provider local" "$IV score --root $SITE --provider local --all"
else
  for i in $(seq "$RUNS"); do /usr/bin/time -f "warm: %e s wall, %M KB peak RSS" "$IV" score --root "$SITE" --provider local 2>&1 >/dev/null | tail -1; done
fi
