#!/usr/bin/env bash
# Times a cold paid run of a generated site through the CLI against the in-process fake Messages API
# (every call answered after LATENCY seconds): wall time against the ideal ceil(IMAGES/CONCURRENCY) x LATENCY.
# usage: bench/cold-run.sh [IMAGES] [LATENCY] [CONCURRENCY] [JAR]   (defaults 1345 3 8 target/imagevision.jar)
# The figures are printed and written to target/bench/cold-run.json.
set -euo pipefail
HOME_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$HOME_DIR/bin/jdk.sh"
cd "$HOME_DIR"
[ -f target/imagevision.jar ] || mvn -B -q -DskipTests package
JAR="${4:-$HOME_DIR/target/imagevision.jar}"
mvn -B -q test -Dsurefire.groups=bench -Dsurefire.excludedGroups= -Dtest=ColdRunBench \
  -Dbench.images="${1:-1345}" -Dbench.latency="${2:-3}" -Dbench.concurrency="${3:-8}" -Dbench.jar="$JAR" \
  -DtrimStackTrace=false 2>&1 | grep -E "cold run bench|FAIL|ERROR" || true
cat target/bench/cold-run.json
