#!/usr/bin/env bash
# Transparent mode for real: a client that knows nothing of any proxy, an iptables REDIRECT,
# and Tollgate's --transparent listener, all inside network namespaces this script creates.
#
#   client ns  10.203.0.2 ──veth── 10.203.0.1  gateway ns (the "egress VM")
#                                  PREROUTING: tcp 80,443 from the client side → REDIRECT :15001
#                                  Tollgate: --transparent [::]:15001 (dual stack), proxy port 127.0.0.1:18080
#                                  origins on its loopback: 10.203.1.10 (origin.test),
#                                  10.203.1.11 (bypass.test, in noProxy), 10.203.1.12 (other.test,
#                                  denied.test: egress.deny by name), 10.203.1.13 (egress.deny by address),
#                                  10.203.1.14 (h2.test: nginx with HTTP/2, when nginx is installed)
#                                  serving HTTP :80 and HTTPS :443 (origin CA, not Tollgate's)
#
# Plain curl in the client namespace (no proxy variables; --resolve instead of DNS) checks:
# HTTP and HTTPS intercepted with a forged leaf, a noProxy name tunnelled blind with the
# origin's real certificate, a client lying in Host refused 409, a connection straight to the
# transparent port refused as a loop, a noProxy TLS server name at another address refused;
# the flow log must show each with via=transparent.
# IPv6 (fd00:203::/48, ip6tables REDIRECT) when ip6tables works here: HTTP and a Host lie.
# HTTP/2 on both legs against nginx when nginx is installed (skipped with the reason otherwise).
# Optionally (TP_TPROXY=1, default on) the same HTTPS request through a TPROXY rule instead.
#
# Only addresses of the namespaces made here are used; nothing leaves them. Needs root, ip,
# iptables, python3, openssl, curl, java and target/tollgate.jar. Exit 77 = skipped (reason
# printed), 0 = all passed, 1 = a check failed.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$ROOT"
JAR=${TOLLGATE_JAR:-target/tollgate.jar}
TP_PORT=15001
PROXY_PORT=18080
unset HTTP_PROXY http_proxy HTTPS_PROXY https_proxy NO_PROXY no_proxy ALL_PROXY all_proxy || true

skip() { echo "SKIP: $*"; exit 77; }
[[ $(id -u) -eq 0 ]] || skip "not root: network namespaces and iptables need root"
for tool in ip iptables python3 openssl curl java; do
    command -v "$tool" >/dev/null || skip "$tool not found (Debian: iproute2, iptables, python3, openssl, curl)"
done
[[ -f $JAR ]] || { echo "error: $JAR not found: mvn -B -q -o -DskipTests package" >&2; exit 2; }

ID=$(printf '%04x%04x' $RANDOM $RANDOM)
NS_C=tg-tp-$ID-c
NS_G=tg-tp-$ID-g
T=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-tp.XXXXXX")
PIDS=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    # and whatever still runs inside our namespaces (only ours: ip netns pids lists that namespace's)
    for ns in "$NS_G" "$NS_C"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
        [[ -z $(ip netns pids "$NS_G" 2>/dev/null; ip netns pids "$NS_C" 2>/dev/null) ]] && break
        sleep 0.2
    done
    # deleting a namespace drops its interfaces, addresses, routes and iptables rules with it
    ip netns del "$NS_C" 2>/dev/null || true
    ip netns del "$NS_G" 2>/dev/null || true
    [[ -n ${TP_KEEP:-} ]] && echo "kept $T" || rm -rf -- "$T"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS_C" 2>/dev/null || skip "cannot create a network namespace (ip netns add failed)"
ip netns add "$NS_G"
inC() { ip netns exec "$NS_C" "$@"; }
inG() { ip netns exec "$NS_G" "$@"; }

# ---------------------------------------------------------------- network
ip link add "tp$ID" type veth peer name "tg$ID"
ip link set "tp$ID" netns "$NS_C"
ip link set "tg$ID" netns "$NS_G"
inC ip link set lo up
inC ip addr add 10.203.0.2/24 dev "tp$ID"
inC ip link set "tp$ID" up
inC ip route add default via 10.203.0.1
inG ip link set lo up
inG ip addr add 10.203.0.1/24 dev "tg$ID"
inG ip link set "tg$ID" up
for a in 10 11 12 13 14; do inG ip addr add "10.203.1.$a/32" dev lo; done
# IPv6 the same way (ULA addresses, fd00:203::/48), when ip6tables can REDIRECT here
inC ip -6 addr add fd00:203::2/64 dev "tp$ID" nodad
inC ip -6 route add default via fd00:203::1
inG ip -6 addr add fd00:203::1/64 dev "tg$ID" nodad
inG ip -6 addr add fd00:203:1::10/128 dev lo
V6=1
inG ip6tables -t nat -A PREROUTING -i "tg$ID" -p tcp -m multiport --dports 80,443 -j REDIRECT --to-ports "$TP_PORT" \
    2>"$T/ip6tables.err" || V6=0
# the client side's web traffic goes to the transparent listener; the proxy's own connections
# to the origins start in this namespace (OUTPUT, not PREROUTING), so they are never redirected
inG iptables -t nat -A PREROUTING -i "tg$ID" -p tcp -m multiport --dports 80,443 -j REDIRECT --to-ports "$TP_PORT" \
    || skip "iptables cannot add a nat REDIRECT rule in a namespace here"

# ---------------------------------------------------------------- PKI
cp -- "$JAR" "$T/tollgate.jar"
java -jar "$T/tollgate.jar" ca init --dir "$T/ca" --key ec256 >"$T/ca-init.log" 2>&1 \
    || { cat "$T/ca-init.log" >&2; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$T/origin-ca.key" -out "$T/origin-ca.pem" -subj "/CN=Tollgate transparent test Origin CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/origin.key" -out "$T/origin.csr" -subj "/CN=origin.test" 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:origin.test,DNS:bypass.test,DNS:other.test,DNS:h2.test" >"$T/origin.ext"
openssl x509 -req -in "$T/origin.csr" -CA "$T/origin-ca.pem" -CAkey "$T/origin-ca.key" -CAcreateserial \
    -days 2 -extfile "$T/origin.ext" -out "$T/origin.crt" 2>/dev/null

# ---------------------------------------------------------------- origins
cat >"$T/origin.py" <<'PY'
import http.server, socket, ssl, sys, threading
def local(conn):
    return conn.getsockname()[0].removeprefix("::ffff:")
class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("origin %s host %s\n" % (local(self.connection), self.headers.get("Host"))).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (local(self.connection), fmt % args)); sys.stdout.flush()
class V6(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
servers = []
for address in sys.argv[3:]:  # each address of its own, so that nginx can have another one's :443
    kind = V6 if ":" in address else http.server.ThreadingHTTPServer
    servers.append(kind((address, 80), Echo))
    tls = kind((address, 443), Echo)
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    servers.append(tls)
for server in servers[1:]:
    threading.Thread(target=server.serve_forever, daemon=True).start()
servers[0].serve_forever()
PY
ip netns exec "$NS_G" python3 "$T/origin.py" "$T/origin.crt" "$T/origin.key" 10.203.1.10 10.203.1.11 10.203.1.12 10.203.1.13 \
    fd00:203:1::10 >"$T/origin.log" 2>&1 &
PIDS+=($!)

H2=0
if command -v nginx >/dev/null; then
    mkdir -p "$T/nginx"
    cat >"$T/nginx/nginx.conf" <<NGINX
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events {}
http {
    access_log $T/nginx/access.log;
    client_body_temp_path $T/nginx; proxy_temp_path $T/nginx; fastcgi_temp_path $T/nginx;
    uwsgi_temp_path $T/nginx; scgi_temp_path $T/nginx;
    server {
        listen 10.203.1.14:443 ssl http2;
        ssl_certificate $T/origin.crt;
        ssl_certificate_key $T/origin.key;
        location / { return 200 "h2 origin \$server_protocol\n"; }
    }
}
NGINX
    ip netns exec "$NS_G" nginx -c "$T/nginx/nginx.conf" -g 'daemon off;' >"$T/nginx/out.log" 2>&1 &
    PIDS+=($!)
    H2=1
fi

# ---------------------------------------------------------------- Tollgate
printf '127.0.0.1 localhost\n' >"$T/proxy-hosts" # no DNS beyond --hosts
ip netns exec "$NS_G" env TOLLGATE_EGRESS_DENY=denied.test,10.203.1.13 java -Djdk.net.hosts.file="$T/proxy-hosts" -jar "$T/tollgate.jar" run \
    --listen "127.0.0.1:$PROXY_PORT" --admin off --transparent "[::]:$TP_PORT" \
    --ca-cert "$T/ca/ca.pem" --ca-key "$T/ca/ca.key" --upstream-trust "$T/origin-ca.pem" \
    --no-proxy bypass.test \
    --hosts origin.test=10.203.1.10,origin6.test=fd00:203:1::10,bypass.test=10.203.1.11,other.test=10.203.1.12,denied.test=10.203.1.12,h2.test=10.203.1.14 \
    >"$T/proxy.log" 2>&1 &
PIDS+=($!)

wait_for() { # what, command...: polls up to 60 s
    local what=$1; shift
    for _ in $(seq 1 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    echo "error: $what not up within 60 s" >&2; cat "$T/proxy.log" "$T/origin.log" >&2; exit 1
}
wait_for "origin" inG bash -c 'exec 3<>/dev/tcp/10.203.1.10/443'
wait_for "tollgate (its transparent banner)" grep -q "transparent mode on" "$T/proxy.log"

# ---------------------------------------------------------------- checks
PASS=0 FAIL=0
check() { # name, condition...
    local name=$1; shift
    if "$@"; then PASS=$((PASS + 1)); echo "PASS $name"; else FAIL=$((FAIL + 1)); echo "FAIL $name"; fi
}
flow_line() { # pattern: waits up to 10 s for a flow line
    for _ in $(seq 1 50); do grep -E -- "$1" "$T/proxy.log" && return 0; sleep 0.2; done
    echo "no flow line matching: $1" >&2; return 1
}
ccurl() { inC curl -sS --max-time 20 "$@"; }

out=$(ccurl --resolve origin.test:80:10.203.1.10 http://origin.test/plain 2>&1 || true)
check "http through the redirect reaches its original destination" [ "$out" = "origin 10.203.1.10 host origin.test" ]
check "http flow: intercept via=transparent" flow_line "GET http://origin.test/plain intercept 10\.203\.1\.10:80 200 .* via=transparent"

out=$(ccurl --cacert "$T/ca/ca.pem" --resolve origin.test:443:10.203.1.10 https://origin.test/tls 2>&1 || true)
check "https intercepted: the client trusts only the Tollgate CA" [ "$out" = "origin 10.203.1.10 host origin.test" ]
check "https flow: intercept via=transparent" flow_line "GET https://origin.test/tls intercept .* 200 .* via=transparent"

out=$(ccurl --cacert "$T/origin-ca.pem" --resolve bypass.test:443:10.203.1.11 https://bypass.test/blind 2>&1 || true)
check "noProxy name: blind tunnel, the origin's real certificate" [ "$out" = "origin 10.203.1.11 host bypass.test" ]
check "bypass flow: via=transparent" flow_line "CONNECT 10\.203\.1\.11:443 bypass .* via=transparent"

code=$(ccurl -o "$T/lie.body" -w '%{http_code}' -H 'Host: origin.test' http://10.203.1.12/lie 2>&1 || true)
check "a client lying in Host is refused 409" [ "$code" = "409" ]
check "the lie never reached any origin" bash -c "! grep -q '/lie' '$T/origin.log'"
check "lie flow: deny 409 via=transparent" flow_line "GET http://origin.test/lie deny - 409 .* via=transparent .*not to the original destination 10\.203\.1\.12"

out=$(ccurl --cacert "$T/origin-ca.pem" --resolve bypass.test:443:10.203.1.12 https://bypass.test/sni-lie 2>&1 || true)
check "a noProxy TLS server name at another address gets no blind tunnel" bash -c "! grep -q 'origin 10.203.1.12' <<<'$out'"
check "sni lie flow: deny 409 via=transparent" flow_line "CONNECT 10\.203\.1\.12:443 deny 10\.203\.1\.12:443 409 .* via=transparent sni=bypass.test .*not to the original destination"

ccurl http://10.203.0.1:$TP_PORT/ >/dev/null 2>&1 || true
check "a connection straight to the transparent port is a loop" flow_line "CONNECT 10\.203\.0\.1:$TP_PORT deny - 508 .* via=transparent .*loop"

out=$(ccurl --resolve other.test:80:10.203.1.12 http://other.test/honest 2>&1 || true)
check "an honest Host at another origin address passes" [ "$out" = "origin 10.203.1.12 host other.test" ]

code=$(ccurl -o /dev/null -w '%{http_code}' --resolve denied.test:80:10.203.1.12 http://denied.test/egress 2>&1 || true)
check "egress policy by name (Host): 403" [ "$code" = "403" ]
check "egress by Host flow" flow_line "GET http://denied.test/egress deny - 403 .* via=transparent .*egress policy"
out=$(ccurl --cacert "$T/ca/ca.pem" --resolve denied.test:443:10.203.1.12 https://denied.test/egress-tls 2>&1 || true)
check "egress policy by name (TLS server name): no response" bash -c "! grep -q '^origin' <<<'$out'"
check "egress by SNI flow" flow_line "CONNECT 10\.203\.1\.12:443 deny .* 403 .* via=transparent sni=denied.test .*by the TLS server name"
ccurl http://10.203.1.13/by-address >/dev/null 2>&1 || true
check "egress policy by original destination: refused at accept" flow_line "CONNECT 10\.203\.1\.13:80 deny - 403 .* via=transparent .*egress policy"
check "nothing denied reached an origin" bash -c "! grep -qE 'egress|by-address' '$T/origin.log'"

if ((H2)); then
    wait_for "nginx" inG bash -c 'exec 3<>/dev/tcp/10.203.1.14/443'
    out=$(ccurl --http2 --cacert "$T/ca/ca.pem" --resolve h2.test:443:10.203.1.14 https://h2.test/h2 2>&1 || true)
    check "h2 on both legs through the redirect" [ "$out" = "h2 origin HTTP/2.0" ]
    check "h2 flow: via=transparent" flow_line "GET https://h2.test/h2 intercept .* 200 .* via=transparent http=HTTP/2>HTTP/2"
else
    echo "SKIP h2: nginx not installed"
fi

if ((V6)); then
    out=$(ccurl -g --resolve 'origin6.test:80:[fd00:203:1::10]' http://origin6.test/v6 2>&1 || true)
    check "IPv6: http through the redirect (IP6T_SO_ORIGINAL_DST)" [ "$out" = "origin fd00:203:1::10 host origin6.test" ]
    check "IPv6 flow" flow_line "GET http://origin6.test/v6 intercept \[fd00:203:1:[0:]*10\]:80 200 .* via=transparent"
    code=$(ccurl -o /dev/null -w '%{http_code}' -g -H 'Host: origin.test' 'http://[fd00:203:1::10]/v6-lie' 2>&1 || true)
    check "IPv6: a Host lie is refused 409" [ "$code" = "409" ]
else
    echo "SKIP IPv6: $(cat "$T/ip6tables.err")"
fi

check "(after the others) the lie is the connection's only flow" bash -c "! grep -q 'CONNECT 10.203.1.12:80' '$T/proxy.log'"

# ---------------------------------------------------------------- TPROXY
if [[ ${TP_TPROXY:-1} = 1 ]]; then
    inG iptables -t nat -F PREROUTING
    if inG iptables -t mangle -A PREROUTING -i "tg$ID" -p tcp --dport 443 -j TPROXY --on-port "$TP_PORT" \
            --on-ip 0.0.0.0 --tproxy-mark 0x1/0x1 2>"$T/tproxy.err" \
        && inG ip rule add fwmark 0x1/0x1 lookup 100 && inG ip route add local 0.0.0.0/0 dev lo table 100; then
        out=$(ccurl --cacert "$T/ca/ca.pem" --resolve origin.test:443:10.203.1.10 https://origin.test/tproxy 2>&1 || true)
        check "TPROXY: https intercepted at its original destination" [ "$out" = "origin 10.203.1.10 host origin.test" ]
        check "tproxy flow: via=transparent" flow_line "GET https://origin.test/tproxy intercept .* 200 .* via=transparent"
    else
        echo "SKIP TPROXY: $(cat "$T/tproxy.err")"
    fi
fi

echo "--- flow lines"
grep "via=transparent" "$T/proxy.log" || true
echo "$PASS passed, $FAIL failed"
((FAIL == 0))
