#!/usr/bin/env bash
# Cost-ledger benchmark (issue 13, item 11): one paid run's ledger work (open and check the ledger,
# journal 2 calls, fold them in) on a history of 10k, 100k and 1M per-call rows. Each measurement is
# its own process (`imagevision bench ledger`), timed by /usr/bin/time: wall time including JVM start,
# and the process's peak RSS.
#   first run: the first paid run after a clone or a pull that changed the ledger (reads the history
#              once, streaming, to rebuild .image-cache/ledger-state.json and ledger-ids.bloom)
#   next runs: every later paid run (the history is not read; only the file's tail is rewritten)
# Usage: bench/ledger.sh [WORK_DIR] [SIZES...]   (default sizes: 10000 100000 1000000)
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
IV="$HOME_DIR/bin/imagevision"
WORK="${1:-$(mktemp -d)}"
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench/ledger.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

measure() { # prints "<wall s> <peak RSS MiB> <ledger work s>" for one process
  local out
  out="$("$TIME" -f "TIME %e %M" "$IV" bench ledger --dir "$1" 2>&1)"
  local wall rss work
  wall="$(sed -n 's/^TIME \([0-9.]*\) \([0-9]*\)$/\1/p' <<<"$out")"
  rss="$(sed -n 's/^TIME \([0-9.]*\) \([0-9]*\)$/\2/p' <<<"$out")"
  work="$(sed -n 's/.* seconds \([0-9.]*\) .*/\1/p' <<<"$out")"
  echo "$wall $((rss / 1024)) $work"
}

printf '%-9s %-10s | %-28s | %-28s\n' rows "ledger" "first run: wall / RSS / work" "next runs: wall / RSS / work"
for n in "${SIZES[@]}"; do
  dir="$WORK/ledger-$n"
  rm -rf "$dir"
  "$IV" bench ledger --dir "$dir" --rows "$n" >/dev/null
  size="$(du -h "$dir/static/data/image-vision-cost-ledger.json" | cut -f1)"
  read -r w1 r1 k1 < <(measure "$dir")
  read -r w2 r2 k2 < <(measure "$dir")
  read -r w3 r3 k3 < <(measure "$dir")
  printf '%-9s %-10s | %6s s %6s MiB %7s s | %6s s %6s MiB %7s s\n' "$n" "$size" "$w1" "$r1" "$k1" \
    "$(printf '%s\n%s\n' "$w2" "$w3" | sort -n | head -1)" "$(printf '%s\n%s\n' "$r2" "$r3" | sort -n | tail -1)" \
    "$(printf '%s\n%s\n' "$k2" "$k3" | sort -n | head -1)"
done
echo "(work = the ledger's part alone, from inside the process; the rest of wall is JVM start)" >&2
