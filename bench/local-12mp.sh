#!/usr/bin/env bash
# Local-provider timing on 12-megapixel JPEGs (issue 7: <= 150 ms per image on one core).
# Makes 4000x3000 files from photos (default: six bundled sample photos) with light and heavy grain,
# each baseline and progressive, then times `imagevision bench local` on them.
# Usage: bench/local-12mp.sh [WORK_DIR] [REPEAT] [PHOTO...]
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
REPEAT="${2:-11}"
shift $(( $# > 2 ? 2 : $# ))
IV="$HOME_DIR/bin/imagevision"
IMG="$HOME_DIR/sample-site/static/images/missions"
PHOTOS=("$@")
[ ${#PHOTOS[@]} -gt 0 ] || PHOTOS=("$IMG/psyche/01.jpg" "$IMG/crs-21/04.jpg" "$IMG/voyager2/02.jpg" \
  "$IMG/crew-4/03.jpg" "$IMG/hubble/01.jpg" "$IMG/artemis3/01.jpg")
"$IV" --version >/dev/null # builds the jar when sources changed
source "$HOME_DIR/bin/jdk.sh" # exports JAVA_HOME
if [ ! -d "$WORK/grain8/progressive" ]; then
  "$JAVA_HOME/bin/java" -cp "$HOME_DIR/target/imagevision.jar" "$HOME_DIR/bench/Make12mp.java" "$WORK" "${PHOTOS[@]}" 2> >(grep -v "^WARNING" >&2)
fi
"$IV" bench local "$WORK/grain3/baseline" "$WORK/grain3/progressive" "$WORK/grain8/baseline" "$WORK/grain8/progressive" --repeat "$REPEAT"
