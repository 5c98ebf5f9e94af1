#!/usr/bin/env bash
# JMH benchmarks (src/jmh/java, Maven profile `bench`): builds target/benchmarks.jar, then runs it.
# With no arguments, a short bounded run of everything; otherwise the arguments go to JMH, e.g.
#   scripts/jmh.sh LeafForgeBench -f 1 -wi 5 -i 10
#   scripts/jmh.sh -h          (JMH's own options)
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.."

mvn -B -q -Pbench -DskipTests package

if (($# == 0)); then
    set -- -f 1 -wi 3 -w 1s -i 5 -r 1s
fi
exec java -jar target/benchmarks.jar "$@"
