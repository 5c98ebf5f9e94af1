package dev.tollgate.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key, its shape and its default: the one list that the YAML reader,
 * the environment reader and the docs agree on.
 */
enum ConfigKey {
    LISTEN("listen", Shape.SCALAR, "0.0.0.0:8080"),
    NO_PROXY("noProxy", Shape.LIST, ""),
    ALLOW_CLIENTS("allowClients", Shape.LIST, null),
    PARENT_PROXY("parentProxy", Shape.SCALAR, null),
    FLOW_LOG("flowLog", Shape.SCALAR, "text"),
    HOSTS("hosts", Shape.MAP, null),
    INTERCEPT("intercept", Shape.SCALAR, "true"),
    PASSTHROUGH("passthrough", Shape.LIST, ""),
    INTERCEPT_CLIENTS("interceptClients", Shape.LIST, null),
    AUTO_PASSTHROUGH_ENABLED("interception.autoPassthrough.enabled", Shape.SCALAR, "false"),
    AUTO_PASSTHROUGH_FAILURES("interception.autoPassthrough.failures", Shape.SCALAR, "3"),
    AUTO_PASSTHROUGH_WINDOW("interception.autoPassthrough.window", Shape.SCALAR, "5m"),
    AUTO_PASSTHROUGH_TTL("interception.autoPassthrough.ttl", Shape.SCALAR, "1h"),
    AUTO_PASSTHROUGH_MAX_HOSTS("interception.autoPassthrough.maxHosts", Shape.SCALAR, "1000"),
    CA("ca", Shape.SCALAR, null),
    CA_CERT("caCert", Shape.SCALAR, null),
    CA_KEY("caKey", Shape.SCALAR, null),
    CA_PASSWORD_FILE("caPasswordFile", Shape.SCALAR, null),
    CERTS_DIR("certsDir", Shape.SCALAR, "certs"),
    UPSTREAM_TRUST("upstreamTrust", Shape.SCALAR, null),
    INSECURE_UPSTREAM("insecureUpstream", Shape.SCALAR, "false"),
    TLS_KEYLOG("tls.keylog", Shape.SCALAR, null),
    PROXY_NAMES("proxyNames", Shape.LIST, ""),
    CONNECT_PORTS("connectPorts", Shape.LIST, ""),
    PROXY_AUTH_FILE("proxyAuthFile", Shape.SCALAR, null),
    EGRESS_MODE("egress.mode", Shape.SCALAR, "deny-list"),
    EGRESS_ALLOW("egress.allow", Shape.LIST, ""),
    EGRESS_DENY("egress.deny", Shape.LIST, ""),
    EGRESS_PORTS("egress.ports", Shape.LIST, ""),
    TIMEOUT_CONNECT("timeouts.connect", Shape.SCALAR, "10s"),
    TIMEOUT_FIRST_BYTE("timeouts.firstByte", Shape.SCALAR, "60s"),
    TIMEOUT_IDLE_CLIENT("timeouts.idleClient", Shape.SCALAR, "120s"),
    TIMEOUT_IDLE_UPSTREAM("timeouts.idleUpstream", Shape.SCALAR, "30s"),
    TIMEOUT_IDLE_TUNNEL("timeouts.idleTunnel", Shape.SCALAR, "600s"),
    TIMEOUT_HANDSHAKE("timeouts.handshake", Shape.SCALAR, "10s"),
    TIMEOUT_DRAIN("timeouts.drain", Shape.SCALAR, "10s"),
    TIMEOUT_REQUEST_HEAD("timeouts.requestHead", Shape.SCALAR, "30s"),
    TIMEOUT_CLIENT_FIRST_BYTE("timeouts.clientFirstByte", Shape.SCALAR, "3s"),
    LIMIT_INITIAL_LINE("limits.maxInitialLine", Shape.SCALAR, "8192"),
    LIMIT_HEADER_SIZE("limits.maxHeaderSize", Shape.SCALAR, "16384"),
    LIMIT_HEADER_COUNT("limits.maxHeaderCount", Shape.SCALAR, "100"),
    LIMIT_PIPELINED("limits.maxPipelined", Shape.SCALAR, "32"),
    LIMIT_CONNECTIONS("limits.maxConnections", Shape.SCALAR, ConnectionBudget.AUTO),
    LIMIT_CONNECTIONS_PER_CLIENT("limits.maxConnectionsPerClient", Shape.SCALAR, ConnectionBudget.OFF),
    LIMIT_IDLE_PER_UPSTREAM("limits.maxIdlePerUpstream", Shape.SCALAR, "32"),
    ADMIN_LISTEN("admin.listen", Shape.SCALAR, "127.0.0.1:8081"),
    ADMIN_TOKEN_FILE("admin.tokenFile", Shape.SCALAR, null),
    ADMIN_FLOWS_MAX("admin.flows.max", Shape.SCALAR, "10000"),
    ADMIN_FLOWS_MAX_BYTES("admin.flows.maxBytes", Shape.SCALAR, "32MiB"),
    ADMIN_CAPTURE_HOSTS("admin.capture.hosts", Shape.LIST, ""),
    ADMIN_CAPTURE_MAX_BODY_BYTES("admin.capture.maxBodyBytes", Shape.SCALAR, "64KiB"),
    TRANSPARENT_LISTEN("transparent.listen", Shape.SCALAR, "off"),
    HTTP2_MAX_CONCURRENT_STREAMS("http2.maxConcurrentStreams", Shape.SCALAR, "100"),
    HTTP2_MAX_HEADER_LIST_SIZE("http2.maxHeaderListSize", Shape.SCALAR, "65536"),
    HTTP2_MAX_RESETS("http2.maxResets", Shape.SCALAR, "200"),
    HTTP2_RESET_WINDOW("http2.resetWindow", Shape.SCALAR, "30s"),
    HTTP2_MAX_QUEUED_CONTROL_FRAMES("http2.maxQueuedControlFrames", Shape.SCALAR, "10000"),
    HTTP2_MAX_EMPTY_DATA_FRAMES("http2.maxEmptyDataFrames", Shape.SCALAR, "2"),
    HTTP2_MAX_SMALL_CONTINUATIONS("http2.maxSmallContinuationFrames", Shape.SCALAR, "16");

    enum Shape {
        SCALAR,
        LIST,
        MAP
    }

    private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConfigKey k : values()) {
            BY_NAME.put(k.name, k);
        }
    }

    final String name;
    final Shape shape;
    final String defaultValue;

    ConfigKey(String name, Shape shape, String defaultValue) {
        this.name = name;
        this.shape = shape;
        this.defaultValue = defaultValue;
    }

    static ConfigKey byName(String name) {
        return BY_NAME.get(name);
    }

    /** A mapping in the YAML file whose children are keys ({@code timeouts}, {@code admin.flows}). */
    static boolean isSection(String prefix) {
        String p = prefix + ".";
        return BY_NAME.keySet().stream().anyMatch(n -> n.startsWith(p));
    }

    /** The key an error is about: {@code noProxy[3]} and {@code hosts.a.test} belong to their list or map. */
    static ConfigKey owning(String errorKey) {
        for (ConfigKey k : values()) {
            if (errorKey.equals(k.name) || errorKey.startsWith(k.name + "[") || errorKey.startsWith(k.name + ".")) {
                return k;
            }
        }
        return null;
    }

    static String knownNames() {
        return String.join(", ", BY_NAME.keySet());
    }

    /** {@code timeouts.firstByte} → {@code TOLLGATE_TIMEOUTS_FIRST_BYTE}. */
    String envName() {
        StringBuilder b = new StringBuilder("TOLLGATE_");
        for (char c : name.toCharArray()) {
            if (c == '.') {
                b.append('_');
            } else if (Character.isUpperCase(c)) {
                b.append('_').append(c);
            } else {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }
}
