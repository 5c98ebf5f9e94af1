# Sourced by scripts/bench.sh and scripts/bench-h2.sh (needs $root, the project, and
# $script_dir, its scripts/): copies the shared harness (default ../shared/bench beside the
# project, or $BENCH_DIR) to a scratch directory ($BENCH_SCRATCH, default target/bench: certs,
# builds and results/ are kept there between runs), drops the Tollgate peer into its peers/,
# builds target/tollgate.jar when missing, and exports what the peer needs. Sets $scratch.
src=${BENCH_DIR:-$root/../shared/bench}
scratch=${BENCH_SCRATCH:-$root/target/bench}
[ -x "$src/run.sh" ] || { echo "bench: no harness at $src (set BENCH_DIR)" >&2; exit 1; }

mkdir -p "$scratch"
scratch=$(cd -- "$scratch" && pwd -P)
if [ "$(cd -- "$src" && pwd -P)" != "$scratch" ]; then
    # the harness files are refreshed; certs/, state/, results/ and builds in the copy stay
    cp -a "$src/." "$scratch/"
fi
install -m 0755 "$script_dir/bench/tollgate.sh" "$scratch/peers/tollgate.sh"

export TOLLGATE_JAR=${TOLLGATE_JAR:-$root/target/tollgate.jar}
# the JVM options scripts/tollgate ships, unless TOLLGATE_JAVA_OPTS says otherwise
TOLLGATE_JAVA_OPTS=${TOLLGATE_JAVA_OPTS:-$("$root/scripts/tollgate" java-opts)}
export TOLLGATE_JAVA_OPTS
if [ ! -s "$TOLLGATE_JAR" ]; then
    echo "bench: building $TOLLGATE_JAR" >&2
    (cd -- "$root" && mvn -B -q -DskipTests package) >&2
fi
# lib/common.sh takes BENCH_DIR as the harness root: point it at the copy, not the source
export BENCH_DIR=$scratch
