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

# How to install a JDK 21+ where we are: the advice must work on the system it is shown on
# (Debian 12 has no openjdk-21 package; Debian 13, Ubuntu 24.04 and Homebrew do).
# $1: an os-release file (default /etc/os-release), $2: the kernel name (default: uname -s)
jdk_advice() {
  local release="${1:-/etc/os-release}" kernel="${2:-$(uname -s)}" id="" version="" like=""
  if [ "$kernel" = "Darwin" ]; then
    echo "Install one with Homebrew: brew install openjdk@21 maven (then follow brew's note to put it on PATH), and try again."
    return
  fi
  if [ -r "$release" ]; then
    id="$(. "$release" 2>/dev/null; echo "${ID:-}")"
    version="$(. "$release" 2>/dev/null; echo "${VERSION_ID:-}")"
    like="$(. "$release" 2>/dev/null; echo "${ID_LIKE:-}")"
  fi
  local major="${version%%.*}"
  if [ "$id" = "debian" ] && [ -n "$major" ] && [ "$major" -lt 13 ] 2>/dev/null; then
    echo "Debian $version has no JDK 21 package. Install Temurin 21 from Adoptium's apt repository"
    echo "(https://adoptium.net/installation/linux/): add the repository as shown there, then"
    echo "  sudo apt-get install temurin-21-jdk maven"
    echo "or upgrade to Debian 13, which has openjdk-21-jdk-headless. Then try again."
  elif [ "$id" = "ubuntu" ] && [ -n "$major" ] && [ "$major" -lt 24 ] 2>/dev/null; then
    echo "Install one: sudo apt-get install openjdk-21-jdk-headless maven (Ubuntu 22.04 has it in jammy-updates;"
    echo "older releases: Temurin 21 from https://adoptium.net/installation/linux/), and try again."
  elif [ "$id" = "debian" ] || [ "$id" = "ubuntu" ] || [[ "$like" == *debian* ]]; then
    echo "Install one: sudo apt-get install openjdk-21-jdk-headless maven, and try again."
  elif [ "$id" = "fedora" ] || [[ "$like" == *rhel* ]] || [[ "$like" == *fedora* ]]; then
    echo "Install one: sudo dnf install java-21-openjdk-devel maven, and try again."
  else
    echo "Install one (for example Temurin 21 from https://adoptium.net) with Maven, set JAVA_HOME to it, and try again."
  fi
}

if [ -z "${IMAGEVISION_JDK_ADVICE_ONLY:-}" ] && ! JAVA_HOME=$(find_jdk); then
  echo "imagevision needs a JDK 21 or newer (none found in JAVA_HOME, on PATH or under /usr/lib/jvm)." >&2
  jdk_advice >&2
  exit 2
fi
if [ -z "${IMAGEVISION_JDK_ADVICE_ONLY:-}" ]; then export JAVA_HOME; fi
