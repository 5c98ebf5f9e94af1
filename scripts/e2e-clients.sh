#!/usr/bin/env bash
# End-to-end check with real clients, the way AKS points a node or a pod at Tollgate.
#
# Everything runs on loopback in a scratch directory: a Tollgate CA, an origin PKI (openssl),
# a plain HTTP origin, an HTTPS origin, a local image registry with one image, and Tollgate
# itself. The proxy environment is generated from an aks-config-like JSON (httpProxy,
# httpsProxy, noProxy, trustedCa), then real clients go through the proxy: curl, Python
# (requests, urllib), Go net/http, Node.js (https-proxy-agent), the JDK HttpClient, skopeo
# (image pull) and headless Chromium (screenshot). The flow log must show every proxied
# request and none of the noProxy ones. An h2 origin (Go net/http) shows HTTP/2 on both legs
# for Go and Chromium; a Python gRPC server and client (python3-grpcio) do the same for gRPC.
#
# Usage: scripts/e2e-clients.sh            (from anywhere; needs target/tollgate.jar)
#   ARTIFACT_DIR   where the screenshot and logs are kept (default target/e2e)
#   TOLLGATE_JAR   the jar to run (default target/tollgate.jar)
#   E2E_KEEP=1     keep the scratch directory (its path is printed)
# Prints a table and "N passed, N failed, N skipped"; exits 1 when anything failed.
# Tools that are missing are SKIPPED with the Debian/npm package that provides them.
#
# Names: origins are reached by name (origin.test, registry.test); only the proxy resolves
# them (--hosts). The proxy's JVM gets -Djdk.net.hosts.file with localhost only, so a name
# that is not in --hosts can never be looked up off this machine.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$ROOT"
ARTIFACT_DIR=${ARTIFACT_DIR:-target/e2e}
JAR=${TOLLGATE_JAR:-target/tollgate.jar}
PY=/usr/bin/python3 # Debian's python3, so Debian's python3-requests is found
CLIENT_TIMEOUT=${E2E_CLIENT_TIMEOUT:-60}

# The proxy environment of the caller must not leak into the setup.
unset HTTP_PROXY http_proxy HTTPS_PROXY https_proxy NO_PROXY no_proxy ALL_PROXY all_proxy || true

mkdir -p "$ARTIFACT_DIR"
ARTIFACT_DIR=$(cd -- "$ARTIFACT_DIR" && pwd)
[[ -f $JAR ]] || { echo "error: $JAR not found: build it with mvn -B -q -o -DskipTests package" >&2; exit 2; }
for tool in java openssl curl; do
    command -v "$tool" >/dev/null || { echo "error: $tool is required for the setup" >&2; exit 2; }
done
[[ -x $PY ]] || { echo "error: $PY is required (Debian python3)" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-e2e.XXXXXX")
PIDS=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # bounded: a process that ignores TERM gets KILL after 5 s
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ ${E2E_KEEP:-} == 1 ]]; then
        echo "scratch directory kept: $T"
    else
        rm -rf -- "$T"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '== %s\n' "$*"; }

# ---------------------------------------------------------------- results
NAMES=() RESULTS=() REASONS=()
result() { # NAME PASS|FAIL|SKIP REASON
    NAMES+=("$1") RESULTS+=("$2") REASONS+=("$3")
    printf '   %-4s %s: %s\n' "$2" "$1" "$3"
}
# Expected flow lines, checked at the end: URL regex, mode, label, and optionally a regex the
# whole line must also match (e.g. the HTTP versions of both legs).
EXPECT_PAT=() EXPECT_MODE=() EXPECT_LABEL=() EXPECT_LINE=()
expect_flow() { EXPECT_PAT+=("$1") EXPECT_MODE+=("$2") EXPECT_LABEL+=("$3") EXPECT_LINE+=("${4:-}"); }
# An h2 stream on both legs, as the text flow line says it.
H2_BOTH=' http=HTTP/2>HTTP/2 stream=[0-9]+( |$)'
# Strings that must not appear in the flow log (noProxy targets), with a label.
ABSENT_STR=() ABSENT_LABEL=()
expect_absent() { ABSENT_STR+=("$1") ABSENT_LABEL+=("$2"); }
have() { command -v "$1" >/dev/null 2>&1; }
oneline() { tr '\n' ' ' | sed 's/  */ /g' | cut -c1-300; }

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() { # PORT PID NAME
    local i
    for i in $(seq 150); do
        if ! kill -0 "$2" 2>/dev/null; then echo "error: $3 exited during startup" >&2; return 1; fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    echo "error: $3 did not listen on 127.0.0.1:$1 within 30 s" >&2
    return 1
}

# Our own copy of the jar: a concurrent `mvn clean` must not pull it away mid-run.
cp -- "$JAR" "$T/tollgate.jar"
JAR=$T/tollgate.jar

# ---------------------------------------------------------------- PKI
log "PKI in $T"
java -jar "$JAR" ca init --dir "$T/ca" --key ec256 >"$T/ca-init.log" 2>&1 \
    || { cat "$T/ca-init.log" >&2; exit 1; }
TG_CA=$T/ca/ca.pem

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$T/origin-ca.key" -out "$T/origin-ca.pem" -subj "/CN=Tollgate e2e Origin CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/origin.key" -out "$T/origin.csr" -subj "/CN=origin.test" 2>/dev/null
cat >"$T/origin.ext" <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=DNS:origin.test,DNS:registry.test,DNS:direct.test,DNS:localhost,IP:127.0.0.1
EOF
openssl x509 -req -in "$T/origin.csr" -CA "$T/origin-ca.pem" -CAkey "$T/origin-ca.key" -CAcreateserial \
    -days 2 -extfile "$T/origin.ext" -out "$T/origin.crt" 2>/dev/null

# ---------------------------------------------------------------- origins
PLAIN_PORT=$(free_port)
mkdir -p "$T/www"
printf 'hello e2e plain\n' >"$T/www/index.html"
"$PY" -m http.server --bind 127.0.0.1 --directory "$T/www" "$PLAIN_PORT" >"$T/plain-origin.log" 2>&1 &
PIDS+=($!)
wait_port "$PLAIN_PORT" "$!" "plain origin"

TLS_PORT=$(free_port)
cat >"$T/tls-origin.py" <<'EOF'
import http.server, ssl, sys

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>Tollgate e2e</title>
<style>
body { margin: 0; font-family: sans-serif; background: #0b3d91; color: #fff; }
h1 { font-size: 56px; margin: 40px; }
.band { background: linear-gradient(90deg, #e63946, #f1c40f, #2a9d8f); height: 120px; }
p { font-size: 28px; margin: 40px; }
</style></head>
<body><h1>Tollgate e2e page</h1><div class="band"></div>
<p id="marker">served by the HTTPS origin, seen through the proxy</p></body></html>
"""

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/":
            body, ctype, status = b"hello e2e\n", "text/plain", 200
        elif path == "/page.html":
            body, ctype, status = PAGE, "text/html; charset=utf-8", 200
        else:
            body, ctype, status = b"not found\n", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
httpd.serve_forever()
EOF
"$PY" "$T/tls-origin.py" "$TLS_PORT" "$T/origin.crt" "$T/origin.key" >"$T/tls-origin.log" 2>&1 &
PIDS+=($!)
wait_port "$TLS_PORT" "$!" "HTTPS origin"

# An h2 origin: Go's net/http serves h2 by itself over TLS (ALPN h2, http/1.1). Built from
# the standard library only, with a scratch build cache; nothing is fetched.
H2_PORT=
H2_ERR="go not installed: apt-get install golang-go"
if have go; then
    mkdir -p "$T/h2-origin"
    cat >"$T/h2-origin/main.go" <<'EOF'
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Tollgate e2e h2</title></head>
<body><h1>Tollgate e2e h2 page</h1>
<p id="marker">served by the h2 origin, seen through the proxy</p></body></html>
`

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	// The protocol the origin saw: proves the upstream leg's version.
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "origin-proto=%s\n", r.Proto)
	})
	srv := &http.Server{Addr: "127.0.0.1:" + os.Args[1], Handler: mux}
	log.Fatal(srv.ListenAndServeTLS(os.Args[2], os.Args[3]))
}
EOF
    printf 'module e2eh2origin\n\ngo 1.19\n' >"$T/h2-origin/go.mod"
    if (cd "$T/h2-origin" && GOCACHE="$T/gocache" GOPATH="$T/gopath" GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 \
            timeout 300 go build -o h2-origin .) >"$T/h2-origin-build.log" 2>&1; then
        H2_PORT=$(free_port)
        "$T/h2-origin/h2-origin" "$H2_PORT" "$T/origin.crt" "$T/origin.key" >"$T/h2-origin.log" 2>&1 &
        PIDS+=($!)
        wait_port "$H2_PORT" "$!" "h2 origin"
    else
        H2_ERR="go build of the h2 origin failed: $(oneline <"$T/h2-origin-build.log")"
    fi
fi

# ---------------------------------------------------------------- registry with one image
REG_PORT=$(free_port)
REGISTRY_OK=0
LAYER_HEX=
if have docker-registry && have skopeo; then
    log "registry on 127.0.0.1:$REG_PORT"
    cat >"$T/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $T/registry
http:
  addr: 127.0.0.1:$REG_PORT
  tls:
    certificate: $T/origin.crt
    key: $T/origin.key
EOF
    docker-registry serve "$T/registry.yml" >"$T/registry.log" 2>&1 &
    PIDS+=($!)
    wait_port "$REG_PORT" "$!" "registry"

    # A minimal OCI image layout, by hand: one gzip layer with one file.
    mkdir -p "$T/img/blobs/sha256" "$T/layer-src"
    printf 'hello from the e2e image\n' >"$T/layer-src/hello.txt"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$T/layer-src" -cf "$T/layer.tar" hello.txt
    gzip -n -c "$T/layer.tar" >"$T/layer.tar.gz"
    sha() { sha256sum "$1" | cut -d' ' -f1; }
    DIFF_ID=$(sha "$T/layer.tar")
    LAYER_HEX=$(sha "$T/layer.tar.gz")
    LAYER_SIZE=$(stat -c %s "$T/layer.tar.gz")
    cp "$T/layer.tar.gz" "$T/img/blobs/sha256/$LAYER_HEX"
    printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/hello.txt"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$DIFF_ID" >"$T/config.json"
    CONFIG_HEX=$(sha "$T/config.json")
    cp "$T/config.json" "$T/img/blobs/sha256/$CONFIG_HEX"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
        "$CONFIG_HEX" "$(stat -c %s "$T/config.json")" "$LAYER_HEX" "$LAYER_SIZE" >"$T/manifest.json"
    MANIFEST_HEX=$(sha "$T/manifest.json")
    cp "$T/manifest.json" "$T/img/blobs/sha256/$MANIFEST_HEX"
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
        "$MANIFEST_HEX" "$(stat -c %s "$T/manifest.json")" >"$T/img/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$T/img/oci-layout"
    printf '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/policy.json"

    # Seed it DIRECTLY (no proxy in the environment), by IP: the client must not need to
    # resolve registry.test; the origin certificate has IP:127.0.0.1.
    mkdir -p "$T/origin-certs.d"
    cp "$T/origin-ca.pem" "$T/origin-certs.d/ca.crt"
    if timeout "$CLIENT_TIMEOUT" skopeo --policy "$T/policy.json" copy --quiet --dest-cert-dir "$T/origin-certs.d" \
            "oci:$T/img:latest" "docker://127.0.0.1:$REG_PORT/e2e/hello:1" >"$T/seed.log" 2>&1; then
        REGISTRY_OK=1
    else
        echo "registry seeding failed:" >&2
        cat "$T/seed.log" >&2
    fi
fi

# ---------------------------------------------------------------- Tollgate
P=$(free_port)
log "Tollgate on 127.0.0.1:$P"
# Hermetic: never the operator's config/tollgate.yaml. A short drain keeps the exit quick.
printf 'timeouts:\n  drain: 2s\n' >"$T/tollgate.yaml"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$T/proxy-hosts"
FLOWS=$T/flows.log
java -Djdk.net.hosts.file="$T/proxy-hosts" -jar "$JAR" run --config "$T/tollgate.yaml" \
    --listen "127.0.0.1:$P" --admin off --ca-cert "$TG_CA" --ca-key "$T/ca/ca.key" \
    --upstream-trust "$T/origin-ca.pem" \
    --hosts "origin.test=127.0.0.1,registry.test=127.0.0.1,direct.test=127.0.0.1" \
    >"$FLOWS" 2>"$T/tollgate.err" &
TG_PID=$!
PIDS+=("$TG_PID")
wait_port "$P" "$TG_PID" "Tollgate" || { cat "$T/tollgate.err" >&2; exit 1; }

# ---------------------------------------------------------------- cluster environment
# What `az aks create --http-proxy-config aks.json` takes; AKS turns it into the proxy
# variables of nodes and pods and installs trustedCa into the trust store.
"$PY" - "$T/aks.json" "$P" "$TG_CA" <<'EOF'
import base64, json, sys
out, port, ca = sys.argv[1], sys.argv[2], sys.argv[3]
json.dump({
    "httpProxy": f"http://127.0.0.1:{port}/",
    "httpsProxy": f"http://127.0.0.1:{port}/",
    "noProxy": ["localhost", "127.0.0.1", "direct.test", ".svc", ".cluster.local", "10.0.0.0/8"],
    "trustedCa": base64.b64encode(open(ca, "rb").read()).decode(),
}, open(out, "w"), indent=2)
EOF
mkdir -p "$T/trust"
eval "$("$PY" - "$T/aks.json" "$T/trust/aks-custom.crt" <<'EOF'
import base64, json, shlex, sys
cfg = json.load(open(sys.argv[1]))
open(sys.argv[2], "wb").write(base64.b64decode(cfg["trustedCa"]))
no_proxy = ",".join(cfg["noProxy"])
for k, v in (("HTTP_PROXY", cfg["httpProxy"]), ("HTTPS_PROXY", cfg["httpsProxy"]), ("NO_PROXY", no_proxy)):
    print(f"export {k}={shlex.quote(v)} {k.lower()}={shlex.quote(v)}")
EOF
)"
SYSTEM_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[[ -f $SYSTEM_BUNDLE ]] || SYSTEM_BUNDLE=/dev/null
cat "$SYSTEM_BUNDLE" "$T/trust/aks-custom.crt" >"$T/trust/bundle.pem"
BUNDLE=$T/trust/bundle.pem
export SSL_CERT_FILE=$BUNDLE REQUESTS_CA_BUNDLE=$BUNDLE CURL_CA_BUNDLE=$BUNDLE NODE_EXTRA_CA_CERTS=$BUNDLE
log "cluster environment: HTTPS_PROXY=$HTTPS_PROXY NO_PROXY=$NO_PROXY SSL_CERT_FILE=$BUNDLE"

O_HTTP=http://origin.test:$PLAIN_PORT
O_HTTPS=https://origin.test:$TLS_PORT
q_http() { printf '%s/?c=%s' "$O_HTTP" "$1"; }
q_https() { printf '%s/?c=%s' "$O_HTTPS" "$1"; }
# Flow log patterns (awk regex against the URL field).
pat_http() { printf '^http://origin\\.test:%s/\\?c=%s$' "$PLAIN_PORT" "$1"; }
pat_https() { printf '^https://origin\\.test:%s/\\?c=%s$' "$TLS_PORT" "$1"; }

# run_check NAME EXPECTED_SUBSTRING CMD...: PASS when CMD exits 0 and prints EXPECTED.
run_check() {
    local name=$1 want=$2 out rc=0
    shift 2
    out=$(timeout "$CLIENT_TIMEOUT" "$@" 2>&1) || rc=$?
    if ((rc == 0)) && [[ $out == *"$want"* ]]; then
        result "$name" PASS "$(oneline <<<"$out" | cut -c1-90)"
    elif ((rc == 124)); then
        result "$name" FAIL "timed out after ${CLIENT_TIMEOUT}s: $(oneline <<<"$out")"
    else
        result "$name" FAIL "exit $rc: $(oneline <<<"$out")"
    fi
}

# ---------------------------------------------------------------- 1. curl
log "1. curl"
run_check "curl http via http proxy" "hello e2e" curl -sS --max-time 20 "$(q_http curl-http)"
expect_flow "$(pat_http curl-http)" forward "curl http"
run_check "curl https via http proxy" "hello e2e" curl -sS --max-time 20 "$(q_https curl-https)"
expect_flow "$(pat_https curl-https)" intercept "curl https"
run_check "curl https via https proxy (TLS to proxy)" "hello e2e" \
    env https_proxy="https://127.0.0.1:$P" HTTPS_PROXY="https://127.0.0.1:$P" \
    curl -sS --max-time 20 --proxy-cacert "$TG_CA" "$(q_https curl-tlsproxy)"
expect_flow "$(pat_https curl-tlsproxy)" intercept "curl https, TLS to proxy"
# direct.test is in NO_PROXY: curl resolves it itself (--resolve) and must see the origin's
# own certificate (trust only the origin CA: a forged one would fail).
run_check "curl noProxy direct.test goes direct" "hello e2e" \
    curl -sS --max-time 20 --resolve "direct.test:$TLS_PORT:127.0.0.1" --cacert "$T/origin-ca.pem" \
    "https://direct.test:$TLS_PORT/?c=curl-direct"
expect_absent "direct.test" "noProxy direct.test (curl)"

# ---------------------------------------------------------------- 2. Python
log "2. Python"
cat >"$T/py_client.py" <<'EOF'
import sys
lib, url = sys.argv[1], sys.argv[2]
if lib == "requests":
    import requests
    r = requests.get(url, timeout=20)
    r.raise_for_status()
    print(r.status_code, r.text)
else:
    import urllib.request
    with urllib.request.urlopen(url, timeout=20) as r:
        print(r.status, r.read().decode())
EOF
if "$PY" -c 'import requests' 2>/dev/null; then
    run_check "python requests http" "hello e2e" "$PY" "$T/py_client.py" requests "$(q_http py-requests-http)"
    expect_flow "$(pat_http py-requests-http)" forward "python requests http"
    run_check "python requests https" "hello e2e" "$PY" "$T/py_client.py" requests "$(q_https py-requests-https)"
    expect_flow "$(pat_https py-requests-https)" intercept "python requests https"
else
    result "python requests" SKIP "python3 'requests' not importable by $PY: apt-get install python3-requests"
fi
run_check "python urllib http" "hello e2e" "$PY" "$T/py_client.py" urllib "$(q_http py-urllib-http)"
expect_flow "$(pat_http py-urllib-http)" forward "python urllib http"
run_check "python urllib https" "hello e2e" "$PY" "$T/py_client.py" urllib "$(q_https py-urllib-https)"
expect_flow "$(pat_https py-urllib-https)" intercept "python urllib https"

# ---------------------------------------------------------------- 3. Go
log "3. Go net/http"
if have go; then
    mkdir -p "$T/go"
    cat >"$T/go/main.go" <<'EOF'
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: client get|decide URL")
		os.Exit(2)
	}
	req, err := http.NewRequest("GET", os.Args[2], nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if os.Args[1] == "decide" {
		// Only the decision: nothing is sent.
		u, err := http.ProxyFromEnvironment(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if u == nil {
			fmt.Println("proxy=DIRECT")
		} else {
			fmt.Println("proxy=" + u.String())
		}
		return
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyFromEnvironment
	client := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s %s %s", resp.Proto, resp.Status, body)
	if resp.StatusCode != 200 {
		os.Exit(1)
	}
}
EOF
    printf 'module e2e\n\ngo 1.19\n' >"$T/go/go.mod"
    if (cd "$T/go" && env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy GOFLAGS=-mod=mod GOPROXY=off \
            CGO_ENABLED=0 timeout 300 go build -o client .) >"$T/go-build.log" 2>&1; then
        GO=$T/go/client
        run_check "go https via http proxy" "hello e2e" "$GO" get "$(q_https go-https)"
        expect_flow "$(pat_https go-https)" intercept "go https"
        run_check "go https via https proxy (TLS to proxy)" "hello e2e" \
            env HTTPS_PROXY="https://127.0.0.1:$P" https_proxy="https://127.0.0.1:$P" "$GO" get "$(q_https go-tlsproxy)"
        expect_flow "$(pat_https go-tlsproxy)" intercept "go https, TLS to proxy"
        # h2 on both legs: the origin chose h2, so the proxy offers the client h2 too; the client
        # reports its own protocol, the origin echoes the one it saw.
        if [[ -n $H2_PORT ]]; then
            run_check "go h2 via proxy to the h2 origin" "HTTP/2.0 200 OK origin-proto=HTTP/2.0" \
                "$GO" get "https://origin.test:$H2_PORT/echo?c=go-h2"
            expect_flow "^https://origin\\.test:$H2_PORT/echo\\?c=go-h2$" intercept "go h2 both legs" "$H2_BOTH"
        else
            result "go h2 via proxy to the h2 origin" SKIP "no h2 origin: $H2_ERR"
        fi
        # NO_PROXY CIDR rule: the decision for a service-CIDR address (nothing is sent there) ...
        run_check "go NO_PROXY 10.0.0.0/8 decides DIRECT for 10.0.0.10" "proxy=DIRECT" \
            "$GO" decide "http://10.0.0.10:$PLAIN_PORT/"
        # ... and its control: without the CIDR the same URL would go to the proxy.
        run_check "go control: without the CIDR 10.0.0.10 is proxied" "proxy=http://127.0.0.1:$P" \
            env NO_PROXY=direct.test no_proxy=direct.test "$GO" decide "http://10.0.0.10:$PLAIN_PORT/"
        # ... and a real request with 127.0.0.0/8 in NO_PROXY goes direct. (Go never proxies
        # loopback literals anyway, so this proves the request stays out of the proxy, not
        # the CIDR match; the decision pair above proves the CIDR match.)
        run_check "go NO_PROXY 127.0.0.0/8 request goes direct" "hello e2e" \
            env NO_PROXY="$NO_PROXY,127.0.0.0/8" no_proxy="$NO_PROXY,127.0.0.0/8" \
            "$GO" get "http://127.0.0.1:$PLAIN_PORT/?c=go-direct"
        expect_absent "c=go-direct" "Go NO_PROXY 127.0.0.0/8 request"
        expect_absent "127.0.0.1:$PLAIN_PORT/" "Go direct request by IP"
    else
        result "go net/http" FAIL "go build failed: $(oneline <"$T/go-build.log")"
    fi
else
    result "go net/http" SKIP "go not installed: apt-get install golang-go"
fi

# ---------------------------------------------------------------- 4. Node.js
log "4. Node.js"
if have node && have npm; then
    # The npm registry is reached without our proxy variables.
    if env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy -u NO_PROXY -u no_proxy \
            timeout 300 npm install --silent --no-audit --no-fund --prefer-offline --prefix "$T/node" \
            https-proxy-agent@7 http-proxy-agent@7 proxy-from-env@1 >"$T/npm.log" 2>&1; then
        cat >"$T/node/client.js" <<'EOF'
// Proxy from the environment the way axios and friends do it: proxy-from-env picks the
// proxy (honouring NO_PROXY), the agents speak to it.
const { getProxyForUrl } = require('proxy-from-env');
const { HttpsProxyAgent } = require('https-proxy-agent');
const { HttpProxyAgent } = require('http-proxy-agent');
const url = process.argv[2];
const proxy = getProxyForUrl(url);
const https = url.startsWith('https:');
const agent = proxy ? (https ? new HttpsProxyAgent(proxy) : new HttpProxyAgent(proxy)) : undefined;
const mod = https ? require('https') : require('http');
const req = mod.get(url, { agent, timeout: 20000 }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (d) => (body += d));
  res.on('end', () => {
    console.log(`proxy=${proxy || 'DIRECT'} ${res.statusCode} ${body}`);
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (e) => { console.error(String(e)); process.exit(1); });
EOF
        run_check "node https via https-proxy-agent" "hello e2e" node "$T/node/client.js" "$(q_https node-https)"
        expect_flow "$(pat_https node-https)" intercept "node https"
        run_check "node http via http-proxy-agent" "hello e2e" node "$T/node/client.js" "$(q_http node-http)"
        expect_flow "$(pat_http node-http)" forward "node http"
    else
        result "node.js" FAIL "npm install of the proxy agents failed: $(oneline <"$T/npm.log")"
    fi
else
    result "node.js" SKIP "node or npm not installed: apt-get install nodejs npm"
fi

# ---------------------------------------------------------------- 5. JDK HttpClient
log "5. JDK HttpClient"
JAVA_HOME_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
keytool -importkeystore -noprompt -srckeystore "$JAVA_HOME_DIR/lib/security/cacerts" -srcstorepass changeit \
    -destkeystore "$T/trust/java.p12" -deststoretype PKCS12 -deststorepass changeit >/dev/null 2>&1 || true
keytool -importcert -noprompt -alias tollgate-aks -file "$T/trust/aks-custom.crt" \
    -keystore "$T/trust/java.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1
cat >"$T/JdkClient.java" <<'EOF'
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The JDK HttpClient with a ProxySelector built from the cluster's proxy variables. */
public class JdkClient {
    static String env(String name) {
        String v = System.getenv(name);
        return v != null && !v.isEmpty() ? v : System.getenv(name.toLowerCase());
    }

    static boolean noProxy(String host) {
        String list = env("NO_PROXY");
        if (list == null) return false;
        host = host.toLowerCase();
        for (String e : list.split(",")) {
            e = e.trim().toLowerCase();
            if (e.isEmpty()) continue;
            if (e.equals("*")) return true;
            String d = e.startsWith(".") ? e.substring(1) : e;
            if (host.equals(d) || host.endsWith("." + d)) return true;
        }
        return false;
    }

    static Proxy proxyFor(String url) {
        if (url == null) return Proxy.NO_PROXY;
        URI u = URI.create(url);
        return new Proxy(Proxy.Type.HTTP, new InetSocketAddress(u.getHost(), u.getPort()));
    }

    public static void main(String[] args) throws Exception {
        ProxySelector selector = new ProxySelector() {
            @Override public List<Proxy> select(URI uri) {
                if (noProxy(uri.getHost())) return List.of(Proxy.NO_PROXY);
                return List.of(proxyFor(env("https".equals(uri.getScheme()) ? "HTTPS_PROXY" : "HTTP_PROXY")));
            }
            @Override public void connectFailed(URI uri, SocketAddress sa, IOException e) { }
        };
        HttpClient client = HttpClient.newBuilder().proxy(selector).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(args[0]))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.version() + " " + r.statusCode() + " " + r.body());
        System.exit(r.statusCode() == 200 ? 0 : 1);
    }
}
EOF
JDK_OPTS=(-Djavax.net.ssl.trustStore="$T/trust/java.p12" -Djavax.net.ssl.trustStorePassword=changeit
    -Djavax.net.ssl.trustStoreType=PKCS12)
run_check "jdk HttpClient https" "hello e2e" java "${JDK_OPTS[@]}" "$T/JdkClient.java" "$(q_https jdk-https)"
expect_flow "$(pat_https jdk-https)" intercept "jdk https"
run_check "jdk HttpClient http" "hello e2e" java "${JDK_OPTS[@]}" "$T/JdkClient.java" "$(q_http jdk-http)"
expect_flow "$(pat_http jdk-http)" forward "jdk http"

# ---------------------------------------------------------------- 6. image pull
log "6. image pull (skopeo)"
if ! have skopeo; then
    result "skopeo image pull" SKIP "skopeo not installed: apt-get install skopeo"
elif ! have docker-registry; then
    result "skopeo image pull" SKIP "docker-registry not installed: apt-get install docker-registry"
elif ((REGISTRY_OK == 0)); then
    result "skopeo image pull" FAIL "the registry could not be seeded directly: $(oneline <"$T/seed.log")"
else
    # The node trusts the cluster's trustedCa: a cert dir with the system bundle + Tollgate CA.
    mkdir -p "$T/node-certs.d"
    cp "$BUNDLE" "$T/node-certs.d/ca.crt"
    IMG=docker://registry.test:$REG_PORT/e2e/hello:1
    run_check "skopeo inspect via proxy" "sha256:$LAYER_HEX" \
        skopeo --policy "$T/policy.json" inspect --cert-dir "$T/node-certs.d" "$IMG"
    out=$(timeout "$CLIENT_TIMEOUT" skopeo --policy "$T/policy.json" copy --quiet --src-cert-dir "$T/node-certs.d" \
        "$IMG" "dir:$T/pulled" 2>&1) && rc=0 || rc=$?
    if ((rc != 0)); then
        result "skopeo copy (pull) via proxy" FAIL "exit $rc: $(oneline <<<"$out")"
    elif [[ ! -f $T/pulled/$LAYER_HEX ]]; then
        result "skopeo copy (pull) via proxy" FAIL "layer $LAYER_HEX missing in dir:$T/pulled ($(ls "$T/pulled" | oneline))"
    elif [[ $(sha256sum "$T/pulled/$LAYER_HEX" | cut -d' ' -f1) != "$LAYER_HEX" ]]; then
        result "skopeo copy (pull) via proxy" FAIL "pulled layer does not hash to sha256:$LAYER_HEX"
    elif ! grep -q "sha256:$LAYER_HEX" "$T/pulled/manifest.json"; then
        result "skopeo copy (pull) via proxy" FAIL "pulled manifest does not reference sha256:$LAYER_HEX"
    else
        result "skopeo copy (pull) via proxy" PASS "layer sha256:${LAYER_HEX:0:16}... pulled and verified"
    fi
    expect_flow "^https://registry\\.test:$REG_PORT/v2/e2e/hello/manifests/1$" intercept "registry manifest"
    expect_flow "^https://registry\\.test:$REG_PORT/v2/e2e/hello/blobs/sha256:$LAYER_HEX$" intercept "registry layer blob"
fi

# ---------------------------------------------------------------- 7. Chromium
log "7. headless Chromium"
CHROME=
for c in chromium chromium-browser google-chrome; do have "$c" && { CHROME=$c; break; }; done
if [[ -z $CHROME ]]; then
    result "chromium" SKIP "chromium not installed: apt-get install chromium"
else
    CH_HOME=$T/chrome-home
    mkdir -p "$CH_HOME/.pki/nssdb"
    TRUST_MODE=nss
    if have certutil && certutil -N -d "sql:$CH_HOME/.pki/nssdb" --empty-password >/dev/null 2>&1 \
            && certutil -A -d "sql:$CH_HOME/.pki/nssdb" -n "Tollgate e2e CA" -t "C,," -i "$T/trust/aks-custom.crt" >/dev/null 2>&1; then
        TRUST_FLAGS=()
    else
        # Weaker fallback, clearly labelled: the page is fetched but the chain is not checked.
        TRUST_MODE=ignore-certificate-errors
        TRUST_FLAGS=(--ignore-certificate-errors)
    fi
    CH_FLAGS=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run
        --no-default-browser-check --disable-background-networking --disable-component-update --disable-sync
        --disable-domain-reliability --disable-client-side-phishing-detection --no-pings --metrics-recording-only
        --disable-extensions --disable-default-apps --disable-component-extensions-with-background-pages
        --disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,HttpsUpgrades,NetworkTimeServiceQuerying
        --proxy-server="http://127.0.0.1:$P" --window-size=800,600 "${TRUST_FLAGS[@]}")
    PNG=$ARTIFACT_DIR/e2e-chromium.png
    rm -f "$PNG"
    dom=$(HOME=$CH_HOME timeout "$CLIENT_TIMEOUT" "$CHROME" "${CH_FLAGS[@]}" --user-data-dir="$T/chrome" \
        --dump-dom "$O_HTTPS/page.html" 2>"$T/chromium-dom.err") && rc=0 || rc=$?
    if ((rc == 0)) && [[ $dom == *"served by the HTTPS origin"* ]]; then
        result "chromium page via proxy (trust: $TRUST_MODE)" PASS "DOM has the origin's marker text"
    else
        result "chromium page via proxy (trust: $TRUST_MODE)" FAIL \
            "exit $rc, DOM: $(oneline <<<"$dom") stderr: $(tail -5 "$T/chromium-dom.err" | oneline)"
    fi
    HOME=$CH_HOME timeout "$CLIENT_TIMEOUT" "$CHROME" "${CH_FLAGS[@]}" --user-data-dir="$T/chrome" \
        --screenshot="$PNG" "$O_HTTPS/page.html" >"$T/chromium-shot.log" 2>&1 && rc=0 || rc=$?
    size=$(stat -c %s "$PNG" 2>/dev/null || echo 0)
    magic=$(head -c 8 "$PNG" 2>/dev/null | od -An -tx1 | tr -d ' \n' || true)
    if ((rc == 0)) && [[ $magic == 89504e470d0a1a0a ]] && ((size > 5000)); then
        result "chromium screenshot (trust: $TRUST_MODE)" PASS "$PNG, $size bytes"
    else
        result "chromium screenshot (trust: $TRUST_MODE)" FAIL \
            "exit $rc, $PNG: $size bytes: $(tail -5 "$T/chromium-shot.log" | oneline)"
    fi
    expect_flow "^https://origin\\.test:$TLS_PORT/page\\.html$" intercept "chromium page"
    # The h2 origin: Chromium offers h2, the proxy offers it back because the origin chose h2.
    if [[ -n $H2_PORT ]]; then
        dom=$(HOME=$CH_HOME timeout "$CLIENT_TIMEOUT" "$CHROME" "${CH_FLAGS[@]}" --user-data-dir="$T/chrome" \
            --dump-dom "https://origin.test:$H2_PORT/page.html" 2>"$T/chromium-h2.err") && rc=0 || rc=$?
        if ((rc == 0)) && [[ $dom == *"served by the h2 origin"* ]]; then
            result "chromium h2 page via proxy (trust: $TRUST_MODE)" PASS "DOM has the h2 origin's marker text"
        else
            result "chromium h2 page via proxy (trust: $TRUST_MODE)" FAIL \
                "exit $rc, DOM: $(oneline <<<"$dom") stderr: $(tail -5 "$T/chromium-h2.err" | oneline)"
        fi
        expect_flow "^https://origin\\.test:$H2_PORT/page\\.html$" intercept "chromium h2 page both legs" "$H2_BOTH"
    else
        result "chromium h2 page via proxy" SKIP "no h2 origin: $H2_ERR"
    fi
    [[ $TRUST_MODE == nss ]] || echo "   NOTE: chromium used --ignore-certificate-errors (weaker check: chain not verified)"
fi

# ---------------------------------------------------------------- 8. gRPC (Python grpcio)
log "8. gRPC (python3-grpcio)"
if ! "$PY" -c 'import grpc' 2>/dev/null; then
    result "grpc python" SKIP "python3 'grpc' not importable by $PY: apt-get install python3-grpcio"
else
    # Bytes in, bytes out: generic handlers without serializers need no protoc.
    cat >"$T/grpc_e2e.py" <<'EOF'
import sys
from concurrent import futures

import grpc


def serve(port, cert, key):
    def echo(request, context):
        return b"echo:" + request

    def missing(request, context):
        # The status travels in the response trailers.
        context.abort(grpc.StatusCode.NOT_FOUND, "no such thing: " + request.decode())

    handler = grpc.method_handlers_generic_handler("e2e.Echo", {
        "Echo": grpc.unary_unary_rpc_method_handler(echo),
        "Missing": grpc.unary_unary_rpc_method_handler(missing),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=[handler])
    creds = grpc.ssl_server_credentials([(open(key, "rb").read(), open(cert, "rb").read())])
    if server.add_secure_port("127.0.0.1:%d" % port, creds) != port:
        sys.exit("cannot bind 127.0.0.1:%d" % port)
    server.start()
    server.wait_for_termination()


def call(target, ca):
    # grpc core takes the proxy from grpc_proxy / https_proxy and sends CONNECT with the
    # target's name: only the proxy resolves origin.test.
    creds = grpc.ssl_channel_credentials(root_certificates=open(ca, "rb").read())
    with grpc.secure_channel(target, creds) as channel:
        reply = channel.unary_unary("/e2e.Echo/Echo")(b"ping-grpc", timeout=20)
        try:
            channel.unary_unary("/e2e.Echo/Missing")(b"thing", timeout=20)
            sys.exit("Missing returned without an error")
        except grpc.RpcError as e:
            print("echo=%s status=%s message=%s" % (reply.decode(), e.code().name, e.details()))


if sys.argv[1] == "serve":
    serve(int(sys.argv[2]), sys.argv[3], sys.argv[4])
else:
    call(sys.argv[2], sys.argv[3])
EOF
    GRPC_PORT=$(free_port)
    env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy \
        "$PY" "$T/grpc_e2e.py" serve "$GRPC_PORT" "$T/origin.crt" "$T/origin.key" >"$T/grpc-origin.log" 2>&1 &
    PIDS+=($!)
    if wait_port "$GRPC_PORT" "$!" "gRPC origin"; then
        run_check "grpc python unary + status via proxy" \
            "echo=echo:ping-grpc status=NOT_FOUND message=no such thing: thing" \
            "$PY" "$T/grpc_e2e.py" call "origin.test:$GRPC_PORT" "$T/trust/aks-custom.crt"
        expect_flow "^https://origin\\.test:$GRPC_PORT/e2e\\.Echo/Echo$" intercept "grpc unary both legs h2" "$H2_BOTH"
        expect_flow "^https://origin\\.test:$GRPC_PORT/e2e\\.Echo/Missing$" intercept "grpc status call both legs h2" "$H2_BOTH"
    else
        result "grpc python" FAIL "the gRPC origin did not start: $(oneline <"$T/grpc-origin.log")"
    fi
fi

# ---------------------------------------------------------------- flow log
log "flow log"
sleep 1 # flows are logged when an exchange ends
cp "$FLOWS" "$ARTIFACT_DIR/flows.log"
cp "$T/tollgate.err" "$ARTIFACT_DIR/tollgate.err"
for i in "${!EXPECT_PAT[@]}"; do
    line=$(awk -v pat="${EXPECT_PAT[$i]}" -v mode="${EXPECT_MODE[$i]}" -v whole="${EXPECT_LINE[$i]}" \
        '$4 ~ pat && $5 == mode && $7 ~ /^2[0-9][0-9]$/ && $0 ~ whole { print; exit }' "$FLOWS")
    if [[ -n $line ]]; then
        h2=$(grep -oE 'http=[^ ]+( stream=[0-9]+)?' <<<"$line" || true)
        result "flow: ${EXPECT_LABEL[$i]}" PASS "${EXPECT_MODE[$i]} $(awk '{print $3, $4, $6, $7}' <<<"$line")${h2:+ $h2}"
    else
        seen=$(awk -v pat="${EXPECT_PAT[$i]}" '$4 ~ pat' "$FLOWS" | head -3 | oneline)
        result "flow: ${EXPECT_LABEL[$i]}" FAIL \
            "no ${EXPECT_MODE[$i]} 2xx line for ${EXPECT_PAT[$i]}${EXPECT_LINE[$i]:+ matching ${EXPECT_LINE[$i]}}${seen:+; seen: $seen}"
    fi
done
for i in "${!ABSENT_STR[@]}"; do
    if grep -qF -- "${ABSENT_STR[$i]}" "$FLOWS"; then
        result "flow: absent ${ABSENT_LABEL[$i]}" FAIL "found: $(grep -F -- "${ABSENT_STR[$i]}" "$FLOWS" | head -2 | oneline)"
    else
        result "flow: absent ${ABSENT_LABEL[$i]}" PASS "not in the flow log"
    fi
done
# Nothing but the test origins may be reached upstream. Chromium sends background requests
# (accounts.google.com, update.googleapis.com) whatever its flags say; the proxy cannot resolve
# them (its JVM resolves from a hosts file with localhost only), so they end as 502 "unknown
# host", or Chromium gives up on them first; either way the flow's upstream is "-": nothing
# left this machine. Noted, not failed. Any other flow fails the run.
other=$(awk '$4 !~ /^https?:\/\/(origin|registry)\.test:[0-9]+\// && $4 !~ /^(origin|registry)\.test:[0-9]+$/' "$FLOWS")
blocked=$(awk '$6 == "-" && ($7 == 502 || $7 == "-")' <<<"$other" || true)
stray=$(grep -vxF -f <(printf '%s\n' "$blocked") <<<"$other" | grep . || true)
if [[ -n $stray ]]; then
    result "flow: only test origins upstream" FAIL "$(wc -l <<<"$stray") other flows: $(head -3 <<<"$stray" | oneline)"
else
    result "flow: only test origins upstream" PASS "$(wc -l <"$FLOWS") flows; every upstream was origin.test/registry.test"
fi
if [[ -n $blocked ]]; then
    echo "   NOTE: $(wc -l <<<"$blocked") background requests (not ours) stopped at the proxy's resolver:"
    awk '{ u = $4; sub(/\?.*/, "", u); print "     " $3, u, $5, $7 }' <<<"$blocked" | sort | uniq -c
fi
if ! kill -0 "$TG_PID" 2>/dev/null; then
    result "tollgate alive" FAIL "the proxy exited during the run: $(tail -5 "$T/tollgate.err" | oneline)"
fi
if grep -qE ' (WARN|ERROR) |Exception' "$T/tollgate.err"; then
    echo "   NOTE: tollgate stderr has warnings or errors:"
    grep -E ' (WARN|ERROR) |Exception' "$T/tollgate.err" | head -5 | cut -c1-240 | sed 's/^/     /'
fi

# ---------------------------------------------------------------- summary
pass=0 fail=0 skip=0
echo
printf '%-52s %-5s %s\n' CHECK RESULT DETAIL
for i in "${!NAMES[@]}"; do
    printf '%-52s %-5s %s\n' "${NAMES[$i]}" "${RESULTS[$i]}" "${REASONS[$i]}"
    case ${RESULTS[$i]} in PASS) pass=$((pass + 1)) ;; FAIL) fail=$((fail + 1)) ;; SKIP) skip=$((skip + 1)) ;; esac
done
echo
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))
