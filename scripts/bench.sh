#!/usr/bin/env bash
# Runs the shared forward-proxy bench harness with Tollgate as one of the peers.
#
#   scripts/bench.sh                          direct, tollgate + every installed peer
#                                             (squid, mitmproxy, littleproxy, tinyproxy)
#   scripts/bench.sh direct tollgate squid    an explicit peer list (passed to run.sh as is)
#   DURATION=3 WARMUP=1 SCENARIOS="A B-mitm" scripts/bench.sh direct tollgate
#
# The harness (default ../shared/bench beside the project, or $BENCH_DIR) is copied to a scratch directory
# ($BENCH_SCRATCH, default target/bench: certs, builds and results/ are kept there between runs),
# scripts/bench/tollgate.sh is dropped into its peers/, target/tollgate.jar is built when
# missing, and run.sh runs there. Every harness knob (DURATION WARMUP CONC NHOSTS BULK_REPS
# REPEAT SCENARIOS PORT_BASE PIN PROXY_CPU CLIENT_CPU NOISE_MAX RETRY_NOISY QUIET_WAIT LP_*)
# and the peer's own (TOLLGATE_JAVA_OPTS TOLLGATE_FLOW_LOG TG_PRE_WARMUP_S TG_WARMUP_S) pass
# through the environment. Prints the summary.md path and its content at the end.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd -- "$script_dir/.." && pwd -P)

. "$script_dir/bench/prepare.sh"

if [ $# -gt 0 ]; then
    peers=("$@")
else
    peers=(direct tollgate)
    if command -v squid > /dev/null && [ -x "${SQUID_CERTGEN:-/usr/lib/squid/security_file_certgen}" ]; then peers+=(squid); fi
    if command -v "${MITMDUMP:-mitmdump}" > /dev/null; then peers+=(mitmproxy); fi
    if command -v java > /dev/null && command -v mvn > /dev/null; then peers+=(littleproxy); fi
    if command -v tinyproxy > /dev/null; then peers+=(tinyproxy); fi
fi

cd -- "$scratch"
before=$(ls -1d results/*/ 2> /dev/null | sort | tail -1 || true)
echo "bench: $scratch/run.sh ${peers[*]}" >&2
rc=0
./run.sh "${peers[@]}" || rc=$?
latest=$(ls -1d results/*/ 2> /dev/null | sort | tail -1 || true)
if [ -n "$latest" ] && [ "$latest" != "$before" ] && [ -s "$latest/summary.md" ]; then
    echo
    echo "summary: $scratch/${latest%/}/summary.md"
    cat "$latest/summary.md"
else
    echo "bench: run.sh wrote no summary (exit $rc)" >&2
    [ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
