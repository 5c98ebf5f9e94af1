#!/usr/bin/env bash
# Start-up time of a Tollgate jar with an existing CA, over ten starts (hyperfine):
#   "accept" = the proxy port takes a TCP connection, "serve" = the proxy answers a request.
# usage: scripts/bench/startup.sh [JAR] [EXTRA JVM OPTIONS...]   (default JAR: target/tollgate.jar)
# The shipped JVM options (scripts/tollgate java-opts) plus EXTRA (e.g. -XX:SharedArchiveFile=...).
# Loopback only; every start is bounded to 20 s.
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
jar=$(realpath "${1:-$root/target/tollgate.jar}"); shift || true
extra=("$@")
work=$(mktemp -d); trap 'rm -rf -- "$work"' EXIT
port=${PORT:-18790}
: > "$work/empty.yaml"
opts=$("$root/scripts/tollgate" java-opts)
start=(java $opts "${extra[@]}" -jar "$jar" run --config "$work/empty.yaml" --listen 127.0.0.1:$port
       --certs-dir "$work/certs" --admin 127.0.0.1:0)
# the first start creates the CA; the measured ones load it
cat > "$work/once.sh" <<ONCE
#!/usr/bin/env bash
mode=\$1
MALLOC_ARENA_MAX=2 ${start[*]} > /dev/null 2> "$work/err.log" &
pid=\$!
end=\$((SECONDS + 20))
if [ "\$mode" = accept ]; then
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2> /dev/null; do [ \$SECONDS -lt \$end ] || break; sleep 0.005; done
else
  until curl -s -o /dev/null --max-time 10 http://127.0.0.1:$port/; do [ \$SECONDS -lt \$end ] || break; sleep 0.005; done
fi
kill \$pid; wait \$pid 2> /dev/null || true
ONCE
chmod +x "$work/once.sh"
"$work/once.sh" serve
hyperfine -N --warmup 1 --runs 10 -n accept "$work/once.sh accept" -n serve "$work/once.sh serve"
