#!/usr/bin/env bash
# Tollgate peer for the forward-proxy bench harness (drop into the harness's peers/ directory;
# scripts/bench.sh does that). Contract: see the harness README, "Adding a proxy".
#   PORT   : Tollgate with interception on: plain HTTP forward + every CONNECT intercepted
#            (forged leaf per SNI signed by PROXY_CA, upstream verified against ORIGIN_CA)
#   PORT+1 : a second Tollgate JVM with --intercept=false: every CONNECT is a blind tunnel
# Flow lines (stdout) go to $STATE_DIR/tollgate.PORT/flows.<port>.log, the proxy's own log
# (stderr) to tollgate.<port>.log, as an operator would redirect them.
# env: TOLLGATE_JAR (default: target/tollgate.jar of this checkout, or $BENCH_DIR/tollgate.jar)
#      TOLLGATE_JAVA_OPTS (JVM flags, required: scripts/bench.sh passes those of scripts/tollgate)
#      TOLLGATE_FLOW_LOG (text|json, default text) TG_PRE_WARMUP_S (20) TG_WARMUP_S (5)
#      TG_ADMIN (default off: the peers measure the proxy alone; 127.0.0.1:0 measures it with
#      its admin listener, store and metrics on, as it ships)
# usage: tollgate.sh start|stop PORT | caps
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
ACTION=${1:-}; PORT=${2:-18150}; PORT1=$((PORT + 1))
DIR="$STATE_DIR/tollgate.$PORT"
JAR=${TOLLGATE_JAR:-$BENCH_DIR/tollgate.jar}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
FLOW_LOG=${TOLLGATE_FLOW_LOG:-text}

start_one() { # start_one PORT INTERCEPT
  local p=$1 icpt=$2
  # run from DIR so that no config/tollgate.yaml of the caller's working directory is picked up
  # shellcheck disable=SC2086
  (cd "$DIR" && exec "${PROXY_PIN[@]}" java $JAVA_OPTS -jar "$JAR" run \
      --listen 127.0.0.1:"$p" --intercept="$icpt" --admin "${TG_ADMIN:-off}" \
      --ca-cert "$PROXY_CA_CERT" --ca-key "$PROXY_CA_KEY" --upstream-trust "$ORIGIN_CA_CERT" \
      --allow-client 127.0.0.0/8 --flow-log "$FLOW_LOG" \
      > "$DIR/flows.$p.log" 2> "$DIR/tollgate.$p.log") &
  echo $! > "$(pidfile_for "$p")"
}

case "$ACTION" in
  caps) echo "HTTP=0"; echo "MITM=0"; echo "TUNNEL=1"
        echo "PRE_WARMUP_S=${TG_PRE_WARMUP_S:-20}"; echo "WARMUP_S=${TG_WARMUP_S:-5}"
        echo "NOTE=2nd JVM with --intercept=false on PORT+1 for the tunnel";;
  start)
    # scripts/bench.sh sets the options scripts/tollgate ships (`scripts/tollgate java-opts`: E
    # is measured with them); set it yourself when running the harness without that script.
    JAVA_OPTS=${TOLLGATE_JAVA_OPTS?set TOLLGATE_JAVA_OPTS (scripts/bench.sh does: scripts/tollgate java-opts)}
    need_certs
    [ -s "$JAR" ] || { echo "no Tollgate jar at $JAR (set TOLLGATE_JAR)" >&2; exit 1; }
    rm -rf "$DIR"; mkdir -p "$DIR"
    start_one "$PORT" true
    start_one "$PORT1" false
    wait_port 127.0.0.1 "$PORT" 60; wait_port 127.0.0.1 "$PORT1" 60
    ;;
  stop)
    # SIGTERM both JVMs at once: each drains for up to timeouts.drain (10 s) before exiting
    stop_pid "$(pidfile_for "$PORT")" 15 & stop_pid "$(pidfile_for "$PORT1")" 15 & wait
    wait_port_free 127.0.0.1 "$PORT" 10 || true; wait_port_free 127.0.0.1 "$PORT1" 10 || true;;
  *) echo "usage: $0 start|stop PORT | caps" >&2; exit 2;;
esac
