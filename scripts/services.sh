#!/usr/bin/env bash
# Local Apache Kafka broker (KRaft, single node) and Apicurio schema registry
# for development, integration tests, CI and the demo. See docs/local-services.md.
#
#   scripts/services.sh fetch    download Kafka jars and Apicurio into .cache/ (idempotent)
#   scripts/services.sh start    fetch if needed, start both, wait until ready (reuses running ones)
#   scripts/services.sh stop     SIGTERM both, wait for the JVMs to exit
#   scripts/services.sh status   print state; exit 0 only when both answer
# SERVICES="kafka" (or "registry") limits start, stop and status to that one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${EQL_CACHE_DIR:-$ROOT/.cache}"
STATE_DIR="${EQL_LOCAL_DIR:-$ROOT/.local}"

# Keyed by the pom's hash: changing a version there fetches a fresh set of jars.
KAFKA_LIBS="$CACHE_DIR/kafka-$(sha256sum "$ROOT/scripts/kafka/pom.xml" | cut -c1-12)/libs"
APICURIO_VERSION="3.3.3"
APICURIO_DIR="$CACHE_DIR/apicurio-$APICURIO_VERSION"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
REGISTRY_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-9000}"   # Quarkus health/metrics interface
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}"
REGISTRY_HEAP_OPTS="${REGISTRY_HEAP_OPTS:--Xms128m -Xmx512m}"
READY_TIMEOUT="${SERVICES_READY_TIMEOUT:-120}"
SERVICES="${SERVICES:-kafka registry}"
wants() { [[ " $SERVICES " == *" $1 "* ]]; }

KAFKA_STATE="$STATE_DIR/kafka"
REGISTRY_STATE="$STATE_DIR/registry"
KAFKA_LOG="$KAFKA_STATE/logs/server.log"
KAFKA_STDOUT="$KAFKA_STATE/logs/stdout.log"
REGISTRY_LOG="$REGISTRY_STATE/registry.log"
REGISTRY_READY_PATH="/apis/ccompat/v7/subjects"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
REGISTRY_MIN_JAVA=21   # Apicurio 3.3's own classes are compiled for Java 21 (class file 65)

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for port_var in KAFKA_PORT KAFKA_CONTROLLER_PORT REGISTRY_PORT REGISTRY_MANAGEMENT_PORT; do
  [[ "${!port_var}" =~ ^[0-9]{1,5}$ ]] || die "$port_var must be a port number, got '${!port_var}'"
done

# --- helpers -----------------------------------------------------------------

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

registry_answers() {
  node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
  ' "http://127.0.0.1:$REGISTRY_PORT$REGISTRY_READY_PATH"
}

# The pid in FILE when that process is alive and carries our marker (guards against pid reuse).
live_pid() {
  local file="$1" marker="$2" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q -- "$marker" || return 1
  echo "$pid"
}

elapsed_since() { echo $(( $(date +%s) - $1 )); }

# Reports a failed start with the log's tail, stops the JVM if still there, exits 1.
fail_start() {
  local name="$1" pid="$2" logfile="$3" reason="$4"
  log "$name $reason. Log: $logfile"
  [[ -f "$logfile" ]] && tail -n 40 "$logfile" >&2
  if kill -0 "$pid" 2>/dev/null; then stop_pid "$name" "$pid"; fi
  exit 1
}

# Wait for CHECK (a command) to succeed while PID stays alive.
wait_ready() {
  local name="$1" pid="$2" logfile="$3"; shift 3
  local start; start="$(date +%s)"
  while ! "$@"; do
    kill -0 "$pid" 2>/dev/null || fail_start "$name" "$pid" "$logfile" "exited during startup"
    (( $(elapsed_since "$start") < READY_TIMEOUT )) \
      || fail_start "$name" "$pid" "$logfile" "did not become ready within ${READY_TIMEOUT}s"
    sleep 0.5
  done
}

stop_pid() {
  local name="$1" pid="$2" waited=0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= 60 )); then
      log "$name did not exit after 30s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.5; waited=$((waited + 1))
  done
}

# Major version of the JDK/JRE whose java binary is $1 (from its release file, no JVM launch).
java_major() {
  local home release version
  home="$(dirname "$(dirname "$(readlink -f "$(command -v "$1")")")")" || return 1
  release="$home/release"
  [[ -f "$release" ]] || return 1
  version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
  [[ -n "$version" ]] && echo "$version"
}

# A java binary new enough for Apicurio: REGISTRY_JAVA, else the default java, else
# the newest JDK under /usr/lib/jvm (our machines have a second, newer JDK there).
registry_java() {
  local candidate major best="" best_major=0
  if [[ -n "${REGISTRY_JAVA:-}" ]]; then echo "$REGISTRY_JAVA"; return; fi
  for candidate in "$JAVA" /usr/lib/jvm/*/bin/java; do
    [[ -x "$(command -v "$candidate" || true)" ]] || continue
    major="$(java_major "$candidate")" || continue
    if (( major >= REGISTRY_MIN_JAVA && major > best_major )); then best="$candidate"; best_major="$major"; fi
  done
  [[ -n "$best" ]] || die "Apicurio Registry needs Java $REGISTRY_MIN_JAVA+; none found (set REGISTRY_JAVA=/path/to/java)"
  echo "$best"
}

# --- fetch -------------------------------------------------------------------

# Runs Maven quietly into LOG (Debian's Maven 3.8 prints stray colour codes even
# with -q); shows LOG and fails when Maven does.
run_mvn() {
  local logfile="$1"; shift
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch the local services"
  mkdir -p "$(dirname "$logfile")"
  if ! (cd "$ROOT/scripts/kafka" && mvn -B -Dstyle.color=never "$@") >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "Maven failed; full log: $logfile"
  fi
}

fetch_kafka() {
  if [[ -f "$KAFKA_LIBS/.complete" ]]; then return; fi
  log "fetching Kafka jars into $KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS"
  run_mvn "$CACHE_DIR/fetch-kafka.log" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
  touch "$KAFKA_LIBS/.complete"
}

fetch_apicurio() {
  if [[ -f "$APICURIO_DIR/.complete" ]]; then return; fi
  log "fetching Apicurio Registry $APICURIO_VERSION into $APICURIO_DIR"
  rm -rf "$APICURIO_DIR" "$APICURIO_DIR.markers"
  run_mvn "$CACHE_DIR/fetch-apicurio.log" "$DEPENDENCY_PLUGIN:unpack" \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$APICURIO_DIR" -DmarkersDirectory="$APICURIO_DIR.markers"
  [[ -f "$APICURIO_DIR/quarkus-run.jar" ]] || die "unpacked Apicurio has no quarkus-run.jar"
  touch "$APICURIO_DIR/.complete"
}

cmd_fetch() {
  [[ -f "$KAFKA_LIBS/.complete" && -f "$APICURIO_DIR/.complete" ]] && return
  local start; start="$(date +%s)"
  fetch_kafka
  fetch_apicurio
  log "fetch done in $(elapsed_since "$start")s"
}

# --- kafka -------------------------------------------------------------------

write_kafka_config() {
  cat >"$KAFKA_STATE/server.properties" <<EOF
# Generated by scripts/services.sh; edits are overwritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_STATE/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
# One node: every internal topic must live with replication factor 1.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Kafka 4 dropped this from its sample config; without it every first group join waits 3 s.
group.initial.rebalance.delay.ms=0
# Small machine: few threads, short retention for test data.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF
}

# The broker's JVM command line, ending in the classpath; callers append the main class.
kafka_java() {
  # shellcheck disable=SC2206 # heap options are meant to split into words
  KAFKA_JAVA=("$JAVA" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    -Deql-stream.service=kafka
    -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2.properties"
    -Dkafka.logs.dir="$KAFKA_STATE/logs"
    -cp "$KAFKA_LIBS/*")
}

# What `StorageTool random-uuid` prints (16 random bytes, base64url), without a second JVM start.
new_cluster_id() {
  node -e '
    const { randomBytes } = require("node:crypto");
    let id;
    do id = randomBytes(16).toString("base64url"); while (id.startsWith("-"));
    console.log(id);
  '
}

kafka_ready() {
  port_open "$KAFKA_HOST" "$KAFKA_PORT" && grep -q "Kafka Server started" "$KAFKA_LOG" 2>/dev/null
}

start_kafka() {
  local pid start
  if pid="$(live_pid "$KAFKA_STATE/kafka.pid" eql-stream.service=kafka)"; then
    log "kafka already running (pid $pid) on $KAFKA_HOST:$KAFKA_PORT"; return
  fi
  if port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    log "port $KAFKA_PORT is already served by a process not started here; using it as the broker"; return
  fi
  start="$(date +%s)"
  mkdir -p "$KAFKA_STATE/logs" "$KAFKA_STATE/data"
  write_kafka_config
  kafka_java
  if [[ ! -f "$KAFKA_STATE/data/meta.properties" ]]; then
    log "formatting KRaft storage in $KAFKA_STATE/data"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format --ignore-formatted \
      -t "$(new_cluster_id)" \
      -c "$KAFKA_STATE/server.properties" >"$KAFKA_STATE/logs/format.log" 2>&1 \
      || { log "storage format failed; see $KAFKA_STATE/logs/format.log"; cat "$KAFKA_STATE/logs/format.log" >&2; exit 1; }
  fi
  : >"$KAFKA_LOG"
  # setsid: the broker outlives the shell or test run that started it.
  (exec setsid nohup "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_STATE/server.properties" >"$KAFKA_STDOUT" 2>&1 </dev/null 9>&-) &
  pid=$!
  echo "$pid" >"$KAFKA_STATE/kafka.pid"
  log "kafka starting (pid $pid), log: $KAFKA_LOG"
  wait_ready kafka "$pid" "$KAFKA_LOG" kafka_ready
  log "kafka ready on $KAFKA_HOST:$KAFKA_PORT in $(elapsed_since "$start")s"
}

# --- registry ----------------------------------------------------------------

start_registry() {
  local pid start
  if pid="$(live_pid "$REGISTRY_STATE/registry.pid" eql-stream.service=registry)"; then
    log "registry already running (pid $pid) on 127.0.0.1:$REGISTRY_PORT"; return
  fi
  if port_open 127.0.0.1 "$REGISTRY_PORT"; then
    log "port $REGISTRY_PORT is already served by a process not started here; using it as the registry"; return
  fi
  start="$(date +%s)"
  local java; java="$(registry_java)"
  mkdir -p "$REGISTRY_STATE"
  # C1-only JIT and serial GC: Quarkus starts much faster on two cores, and the
  # registry only serves a handful of schema look-ups.
  (cd "$REGISTRY_STATE" && exec setsid nohup "$java" $REGISTRY_HEAP_OPTS \
      -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true \
      -Deql-stream.service=registry \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
      -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" \
      -jar "$APICURIO_DIR/quarkus-run.jar" >"$REGISTRY_LOG" 2>&1 </dev/null 9>&-) &
  pid=$!
  echo "$pid" >"$REGISTRY_STATE/registry.pid"
  log "registry starting (pid $pid), log: $REGISTRY_LOG"
  wait_ready registry "$pid" "$REGISTRY_LOG" registry_answers
  log "registry ready on http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7 in $(elapsed_since "$start")s"
}

# --- commands ----------------------------------------------------------------

with_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/services.lock"
  flock -w 300 9 || die "another services.sh holds $STATE_DIR/services.lock"
}

cmd_start() {
  with_lock
  cmd_fetch
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put Java 17+ on PATH)"
  # Both JVMs start in parallel: on two cores this still saves most of the wall time.
  local jobs=() job failed=0
  if wants kafka; then start_kafka & jobs+=($!); fi
  if wants registry; then start_registry & jobs+=($!); fi
  for job in "${jobs[@]}"; do wait "$job" || failed=1; done
  (( failed == 0 )) || exit 1
}

cmd_stop() {
  with_lock
  local pid
  if wants registry; then
    if pid="$(live_pid "$REGISTRY_STATE/registry.pid" eql-stream.service=registry)"; then
      stop_pid registry "$pid"
    fi
    rm -f "$REGISTRY_STATE/registry.pid"
  fi
  if wants kafka; then
    if pid="$(live_pid "$KAFKA_STATE/kafka.pid" eql-stream.service=kafka)"; then
      stop_pid kafka "$pid"
    fi
    rm -f "$KAFKA_STATE/kafka.pid"
  fi
  log "stopped"
}

cmd_status() {
  local pid ok=0
  if ! wants kafka; then
    :
  elif pid="$(live_pid "$KAFKA_STATE/kafka.pid" eql-stream.service=kafka)"; then
    port_open "$KAFKA_HOST" "$KAFKA_PORT" && echo "kafka:    running (pid $pid) on $KAFKA_HOST:$KAFKA_PORT, log $KAFKA_LOG" \
      || { echo "kafka:    starting (pid $pid), log $KAFKA_LOG"; ok=1; }
  elif port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    echo "kafka:    port $KAFKA_HOST:$KAFKA_PORT open (not started by this checkout)"
  else
    echo "kafka:    stopped"; ok=1
  fi
  if ! wants registry; then
    :
  elif pid="$(live_pid "$REGISTRY_STATE/registry.pid" eql-stream.service=registry)"; then
    registry_answers && echo "registry: running (pid $pid) on http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7, log $REGISTRY_LOG" \
      || { echo "registry: starting (pid $pid), log $REGISTRY_LOG"; ok=1; }
  elif registry_answers; then
    echo "registry: http://127.0.0.1:$REGISTRY_PORT answers (not started by this checkout)"
  else
    echo "registry: stopped"; ok=1
  fi
  return "$ok"
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
