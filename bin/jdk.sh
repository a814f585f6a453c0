# Sourced by the launcher and the test script: finds a JDK of version 21 or newer and exports
# JAVA_HOME for it. Order: $JAVA_HOME, `java` on PATH, then every JDK under /usr/lib/jvm (newest first).

java_major() { # prints the major version of the java binary $1, or nothing
  # the JDK's release file says it without starting a JVM (each start costs ~50 ms of every run)
  local release; release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION=' "$release"; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\)[."].*/\1/p; s/^JAVA_VERSION="\{0,1\}\([0-9]*\)"\{0,1\}$/\1/p' "$release" | head -1
    return
  fi
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}' | tr -dc '0-9'
}

find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${c%/}"); done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      local m; m=$(java_major "$c/bin/java")
      if [ -n "$m" ] && [ "$m" -ge 21 ]; then echo "$c"; return 0; fi
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk); then
  echo "imagevision needs a JDK 21 or newer (none found in JAVA_HOME, on PATH or under /usr/lib/jvm)." >&2
  echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, and try again." >&2
  exit 2
fi
export JAVA_HOME
