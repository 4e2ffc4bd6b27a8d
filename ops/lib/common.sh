# Shared by the ops/ scripts: paths, ports, logging and the installers of what the stack needs.
# Sourced, never run. Every server binds 127.0.0.1 only.

EMRSB_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export EMRSB_REPO
# All the stack's data, logs and pid files live here (git-ignored).
export EMRSB_HOME="${EMRSB_HOME:-$EMRSB_REPO/.emrsb}"

# Ports of the local stack (override with the environment, e.g. to run a second stack beside one).
# The product's clients find the stack through EMRSB_KAFKA_BOOTSTRAP, EMRSB_REGISTRY_URL and
# EMRSB_IPFS_API (docs/configuration.md). They are exported only when a port was moved, so that
# by default a configuration file's values are not shadowed by the environment.
[[ -n "${EMRSB_KAFKA_PORT:-}" && -z "${EMRSB_KAFKA_BOOTSTRAP:-}" ]] && export EMRSB_KAFKA_BOOTSTRAP="127.0.0.1:$EMRSB_KAFKA_PORT"
[[ -n "${EMRSB_BITCOIN_PORT:-}" && -z "${EMRSB_BITCOIN_RPC:-}" ]] && export EMRSB_BITCOIN_RPC="http://emrsb:emrsb@127.0.0.1:$EMRSB_BITCOIN_PORT"
[[ -n "${EMRSB_REGISTRY_PORT:-}" && -z "${EMRSB_REGISTRY_URL:-}" ]] && export EMRSB_REGISTRY_URL="http://127.0.0.1:$EMRSB_REGISTRY_PORT"
[[ -n "${EMRSB_IPFS_PORT:-}" && -z "${EMRSB_IPFS_API:-}" ]] && export EMRSB_IPFS_API="http://127.0.0.1:$EMRSB_IPFS_PORT"
EMRSB_KAFKA_PORT="${EMRSB_KAFKA_PORT:-19092}"
EMRSB_KAFKA_CONTROLLER_PORT="${EMRSB_KAFKA_CONTROLLER_PORT:-$((EMRSB_KAFKA_PORT + 1))}"
EMRSB_REGISTRY_PORT="${EMRSB_REGISTRY_PORT:-18081}"
EMRSB_IPFS_PORT="${EMRSB_IPFS_PORT:-15001}"
EMRSB_IPFS_GATEWAY_PORT="${EMRSB_IPFS_GATEWAY_PORT:-$((EMRSB_IPFS_PORT + 3087))}"
# The regtest Bitcoin node: bitcoind's regtest RPC port and the node's default credentials (exported:
# the node reads them from the environment too).
EMRSB_BITCOIN_PORT="${EMRSB_BITCOIN_PORT:-18443}"
export EMRSB_BITCOIN_RPCUSER="${EMRSB_BITCOIN_RPCUSER:-emrsb}"
export EMRSB_BITCOIN_RPCPASSWORD="${EMRSB_BITCOIN_RPCPASSWORD:-emrsb}"
STACK_KAFKA_ADDRESS="127.0.0.1:$EMRSB_KAFKA_PORT"
STACK_REGISTRY_URL="http://127.0.0.1:$EMRSB_REGISTRY_PORT"
STACK_IPFS_API="http://127.0.0.1:$EMRSB_IPFS_PORT"
STACK_BITCOIN_RPC="http://127.0.0.1:$EMRSB_BITCOIN_PORT"

MVN_FLAGS=(-B -q)
if [[ "${CI:-}" == "true" ]]; then MVN_FLAGS=(-B -ntp); fi

say()  { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt-get install, once per run, only when a command is missing.
APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "missing $* and no apt-get to install it; install it and retry"
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  if [[ -z "$APT_UPDATED" ]]; then
    say "apt-get update"
    $sudo apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed"
}

ensure_java() {
  if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
    apt_install openjdk-17-jdk-headless
  fi
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ "${version%%.*}" -ge 17 ]] || die "Java 17 or newer is needed, found $version"
}

ensure_maven() {
  ensure_java
  command -v mvn >/dev/null || apt_install maven
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [[ "$major" -ge 18 ]] || die "Node.js 18 or newer is needed for the IPFS node, found $(node --version)"
}

# The OpenTimestamps library (Debian's python3-opentimestamps) for /usr/bin/python3: the .ots round-trip
# tests read the files the product writes with it (OtsRoundTripTest).
ensure_opentimestamps() {
  if ! [[ -x /usr/bin/python3 ]] || ! /usr/bin/python3 -c 'import opentimestamps.core.timestamp' 2>/dev/null; then
    apt_install python3-opentimestamps
  fi
}

# True when a pid file names a live process whose command line or environment contains the marker,
# so a pid reused by an unrelated process is never taken for ours (and never signalled).
pid_alive() {
  local pidfile=$1 marker=$2 pid
  [[ -f "$pidfile" ]] || return 1
  pid=$(cat "$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  local identity
  identity=$({ tr '\0' '\n' < "/proc/$pid/cmdline"; tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null) || return 1
  grep -qxF -- "$marker" <<< "$identity"
}

# Builds the streams jar and its class path when missing or older than a source file.
ensure_app_jar() {
  local jar="$EMRSB_REPO/streams/target/emrsb-streams.jar"
  local stale=""
  if [[ ! -f "$jar" || ! -d "$EMRSB_REPO/streams/target/lib" ]]; then
    stale="missing"
  elif [[ -n "$(find "$EMRSB_REPO/pom.xml" "$EMRSB_REPO/schemas/pom.xml" "$EMRSB_REPO/schemas/src/main" \
                 "$EMRSB_REPO/streams/pom.xml" "$EMRSB_REPO/streams/src/main" -newer "$jar" -type f -print -quit)" ]]; then
    stale="older than its sources"
  fi
  if [[ -n "$stale" ]]; then
    ensure_maven
    say "building the EMRSB jar ($stale): mvn package -pl streams -am -DskipTests"
    (cd "$EMRSB_REPO" && mvn "${MVN_FLAGS[@]}" -pl streams -am -DskipTests package >&2) \
      || die "building the EMRSB jar failed (see the Maven output above)"
  fi
}
