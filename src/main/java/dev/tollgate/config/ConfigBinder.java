package dev.tollgate.config;

import dev.tollgate.policy.ClientAcl;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.IndexedPatternException;
import dev.tollgate.policy.IpLiteral;
import dev.tollgate.policy.NoProxyList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns merged raw settings into typed values, with an error that names key, value and reason. */
final class ConfigBinder {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final Duration MAX_CLIENT_FIRST_BYTE = Duration.ofSeconds(5);
    private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,18})\\s*(KiB|MiB|GiB)?");

    private final Map<ConfigKey, Object> raw;
    private final List<String> warnings = new ArrayList<>();

    ConfigBinder(Map<ConfigKey, Object> raw) {
        this.raw = raw;
    }

    ProxyConfig bind() throws ConfigException {
        NoProxyList noProxy = patterns(ConfigKey.NO_PROXY);
        ClientAcl clients =
                raw.containsKey(ConfigKey.ALLOW_CLIENTS) ? acl(ConfigKey.ALLOW_CLIENTS) : ClientAcl.defaults();
        ClientAcl interceptClients =
                raw.containsKey(ConfigKey.INTERCEPT_CLIENTS) ? acl(ConfigKey.INTERCEPT_CLIENTS) : null;
        return new ProxyConfig(
                HostPort.parse(ConfigKey.LISTEN.name, text(ConfigKey.LISTEN)),
                noProxy,
                clients,
                parentProxy(),
                flowFormat(),
                hosts(),
                bool(ConfigKey.INTERCEPT),
                patterns(ConfigKey.PASSTHROUGH),
                interceptClients,
                file(ConfigKey.CA),
                pairedFile(ConfigKey.CA_CERT, ConfigKey.CA_KEY),
                pairedFile(ConfigKey.CA_KEY, ConfigKey.CA_CERT),
                file(ConfigKey.CA_PASSWORD_FILE),
                path(ConfigKey.CERTS_DIR),
                file(ConfigKey.UPSTREAM_TRUST),
                bool(ConfigKey.INSECURE_UPSTREAM),
                path(ConfigKey.TLS_KEYLOG),
                list(ConfigKey.PROXY_NAMES),
                ports(ConfigKey.CONNECT_PORTS),
                file(ConfigKey.PROXY_AUTH_FILE),
                egress(),
                timeouts(),
                limits(),
                admin(),
                transparent(),
                http2(),
                autoPassthrough(),
                List.copyOf(warnings));
    }

    private String text(ConfigKey key) {
        Object v = raw.getOrDefault(key, key.defaultValue);
        if (v instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return v == null ? null : v.toString().trim();
    }

    private List<String> list(ConfigKey key) {
        Object v = raw.getOrDefault(key, key.defaultValue);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).map(String::trim).toList();
        }
        return Arrays.stream(v.toString().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private NoProxyList patterns(ConfigKey key) throws ConfigException {
        try {
            NoProxyList parsed = NoProxyList.parse(list(key));
            parsed.warnings().forEach(w -> warnings.add(key.name + ": " + w));
            return parsed;
        } catch (IndexedPatternException e) {
            throw new ConfigException(key.name + "[" + e.index() + "]", e.getMessage());
        }
    }

    private ClientAcl acl(ConfigKey key) throws ConfigException {
        try {
            return ClientAcl.parse(list(key));
        } catch (IndexedPatternException e) {
            throw new ConfigException(key.name + "[" + e.index() + "]", e.getMessage());
        }
    }

    private String parentProxy() throws ConfigException {
        String v = text(ConfigKey.PARENT_PROXY);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String name = ConfigKey.PARENT_PROXY.name;
        if (!v.toLowerCase(Locale.ROOT).startsWith("http://")) {
            throw ConfigException.bad(name, v, "must be an http:// URL (for example http://10.0.0.5:3128)");
        }
        String authority = v.substring("http://".length());
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        if (authority.isEmpty() || authority.contains("/") || authority.contains("@")) {
            throw ConfigException.bad(name, v, "must be http://HOST:PORT with no path or credentials");
        }
        return authority;
    }

    private FlowFormat flowFormat() throws ConfigException {
        String v = text(ConfigKey.FLOW_LOG);
        try {
            return FlowFormat.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.bad(ConfigKey.FLOW_LOG.name, v, "must be text or json");
        }
    }

    private Map<String, String> hosts() throws ConfigException {
        Object v = raw.get(ConfigKey.HOSTS);
        Map<String, String> in = v instanceof String s ? EnvLayer.hostMap(ConfigKey.HOSTS, s) : castMap(v);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : in.entrySet()) {
            if (IpLiteral.parse(e.getValue()) == null) {
                throw ConfigException.bad(
                        ConfigKey.HOSTS.name + "." + e.getKey(), e.getValue(), "is not an IP address");
            }
            out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        return Map.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object v) {
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    private boolean bool(ConfigKey key) throws ConfigException {
        String v = text(key).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw ConfigException.bad(key.name, v, "must be true or false");
    }

    private Path path(ConfigKey key) {
        String v = text(key);
        return v == null || v.isEmpty() ? null : Path.of(v);
    }

    /**
     * A file read at start: checked here, so that a typo is reported with the key (and flag)
     * that named it, as a usage error, instead of as a failure deep in the start.
     */
    private Path file(ConfigKey key) throws ConfigException {
        Path p = path(key);
        if (p == null) {
            return null;
        }
        String problem = ReadableFile.problem(p);
        if (problem != null) {
            throw ConfigException.bad(key.name, p, problem);
        }
        return p;
    }

    /** One of two files that only make sense together (a CA's certificate and key). */
    private Path pairedFile(ConfigKey key, ConfigKey partner) throws ConfigException {
        Path p = file(key);
        if (p != null && path(partner) == null) {
            throw ConfigException.bad(
                    key.name, p, "needs " + partner.name + " as well (--ca-cert and --ca-key come" + " together)");
        }
        return p;
    }

    private Duration duration(ConfigKey key) throws ConfigException {
        String v = text(key);
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw ConfigException.bad(key.name, v, "is not a duration (for example 500ms, 10s, 5m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw ConfigException.bad(key.name, v, "must be greater than zero");
        }
        return d;
    }

    private int positiveInt(ConfigKey key) throws ConfigException {
        String v = text(key);
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key
        }
        throw ConfigException.bad(key.name, v, "must be a positive whole number");
    }

    /** A positive whole number, or {@code word} (then null). */
    private Integer positiveIntOr(ConfigKey key, String word) throws ConfigException {
        String v = text(key);
        if (word.equalsIgnoreCase(v)) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the key
        }
        throw ConfigException.bad(key.name, v, "must be a positive whole number or " + word);
    }

    private Set<Integer> ports(ConfigKey key) throws ConfigException {
        Set<Integer> ports = new TreeSet<>();
        List<String> items = list(key);
        for (int i = 0; i < items.size(); i++) {
            try {
                int p = Integer.parseInt(items.get(i));
                if (p >= 1 && p <= 65535) {
                    ports.add(p);
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // reported below with the key and index
            }
            throw ConfigException.bad(key.name + "[" + i + "]", items.get(i), "is not a port (1..65535)");
        }
        return Set.copyOf(ports);
    }

    private EgressPolicy egress() throws ConfigException {
        String modeText = text(ConfigKey.EGRESS_MODE).toLowerCase(Locale.ROOT);
        EgressPolicy.Mode mode = switch (modeText) {
            case "allow-list" -> EgressPolicy.Mode.ALLOW_LIST;
            case "deny-list" -> EgressPolicy.Mode.DENY_LIST;
            default ->
                throw ConfigException.bad(ConfigKey.EGRESS_MODE.name, modeText, "must be allow-list or deny-list");
        };
        Set<Integer> ports = ports(ConfigKey.EGRESS_PORTS);
        try {
            return EgressPolicy.of(
                    mode,
                    patterns(ConfigKey.EGRESS_ALLOW),
                    patterns(ConfigKey.EGRESS_DENY),
                    ports.isEmpty() ? null : List.copyOf(ports));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("egress", e.getMessage());
        }
    }

    private ProxyConfig.Admin admin() throws ConfigException {
        String listen = text(ConfigKey.ADMIN_LISTEN);
        HostPort address = listen.equalsIgnoreCase("off") ? null : HostPort.parse(ConfigKey.ADMIN_LISTEN.name, listen);
        HostPort proxy = HostPort.parse(ConfigKey.LISTEN.name, text(ConfigKey.LISTEN));
        if (address != null && address.port() != 0 && address.port() == proxy.port()) {
            throw ConfigException.bad(
                    ConfigKey.ADMIN_LISTEN.name,
                    listen,
                    "is the proxy's port (listen: " + proxy + "): the admin listener needs a port of its own");
        }
        long maxBody = byteSize(ConfigKey.ADMIN_CAPTURE_MAX_BODY_BYTES);
        if (maxBody > Integer.MAX_VALUE) {
            throw ConfigException.bad(
                    ConfigKey.ADMIN_CAPTURE_MAX_BODY_BYTES.name,
                    text(ConfigKey.ADMIN_CAPTURE_MAX_BODY_BYTES),
                    "must be below 2GiB");
        }
        return new ProxyConfig.Admin(
                address,
                file(ConfigKey.ADMIN_TOKEN_FILE),
                positiveInt(ConfigKey.ADMIN_FLOWS_MAX),
                byteSize(ConfigKey.ADMIN_FLOWS_MAX_BYTES),
                patterns(ConfigKey.ADMIN_CAPTURE_HOSTS),
                (int) maxBody);
    }

    /** Off unless set; never the proxy's or the admin listener's port, which would loop or clash. */
    private HostPort transparent() throws ConfigException {
        String listen = text(ConfigKey.TRANSPARENT_LISTEN);
        // "false" too: YAML 1.1 reads an unquoted off as the boolean false
        if (listen == null || listen.isEmpty() || listen.equalsIgnoreCase("off") || listen.equalsIgnoreCase("false")) {
            return null;
        }
        HostPort address = HostPort.parse(ConfigKey.TRANSPARENT_LISTEN.name, listen);
        HostPort proxy = HostPort.parse(ConfigKey.LISTEN.name, text(ConfigKey.LISTEN));
        if (address.port() != 0 && address.port() == proxy.port()) {
            throw ConfigException.bad(
                    ConfigKey.TRANSPARENT_LISTEN.name,
                    listen,
                    "is the proxy's port (listen: " + proxy + "): redirected connections need a port of their own");
        }
        String admin = text(ConfigKey.ADMIN_LISTEN);
        if (!admin.equalsIgnoreCase("off")) {
            HostPort adminAddress = HostPort.parse(ConfigKey.ADMIN_LISTEN.name, admin);
            if (address.port() != 0 && address.port() == adminAddress.port()) {
                throw ConfigException.bad(
                        ConfigKey.TRANSPARENT_LISTEN.name,
                        listen,
                        "is the admin listener's port (admin.listen: " + adminAddress
                                + "): redirected connections need a port of their own");
            }
        }
        return address;
    }

    private long byteSize(ConfigKey key) throws ConfigException {
        String v = text(key);
        Matcher m = BYTE_SIZE.matcher(v);
        if (!m.matches()) {
            throw ConfigException.bad(key.name, v, "is not a size (for example 65536, 64KiB, 16MiB, 1GiB)");
        }
        int shift = switch (m.group(2) == null ? "" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw ConfigException.bad(key.name, v, "must be greater than zero");
        }
        return n << shift;
    }

    private Timeouts timeouts() throws ConfigException {
        return new Timeouts(
                duration(ConfigKey.TIMEOUT_CONNECT),
                duration(ConfigKey.TIMEOUT_FIRST_BYTE),
                duration(ConfigKey.TIMEOUT_IDLE_CLIENT),
                duration(ConfigKey.TIMEOUT_IDLE_UPSTREAM),
                duration(ConfigKey.TIMEOUT_IDLE_TUNNEL),
                duration(ConfigKey.TIMEOUT_HANDSHAKE),
                duration(ConfigKey.TIMEOUT_DRAIN),
                duration(ConfigKey.TIMEOUT_REQUEST_HEAD),
                clientFirstByte());
    }

    /**
     * Every TLS or HTTP client waits this long for nothing when it speaks first anyway, but a
     * client of a server-speaks-first protocol waits this long for the banner: keep it short.
     */
    private Duration clientFirstByte() throws ConfigException {
        Duration d = duration(ConfigKey.TIMEOUT_CLIENT_FIRST_BYTE);
        if (d.compareTo(MAX_CLIENT_FIRST_BYTE) > 0) {
            throw ConfigException.bad(
                    ConfigKey.TIMEOUT_CLIENT_FIRST_BYTE.name,
                    text(ConfigKey.TIMEOUT_CLIENT_FIRST_BYTE),
                    "is too long: at most " + MAX_CLIENT_FIRST_BYTE.toSeconds() + "s (clients of server-speaks-first "
                            + "protocols wait this long for the banner)");
        }
        return d;
    }

    private ProxyConfig.Limits limits() throws ConfigException {
        return new ProxyConfig.Limits(
                positiveInt(ConfigKey.LIMIT_INITIAL_LINE),
                positiveInt(ConfigKey.LIMIT_HEADER_SIZE),
                positiveInt(ConfigKey.LIMIT_IDLE_PER_UPSTREAM),
                positiveInt(ConfigKey.LIMIT_HEADER_COUNT),
                connections(),
                positiveInt(ConfigKey.LIMIT_PIPELINED));
    }

    private ConnectionBudget connections() throws ConfigException {
        // YAML 1.1 reads an unquoted off (and no) as false
        Integer perClient = "false".equals(text(ConfigKey.LIMIT_CONNECTIONS_PER_CLIENT))
                ? null
                : positiveIntOr(ConfigKey.LIMIT_CONNECTIONS_PER_CLIENT, ConnectionBudget.OFF);
        int perClientCap = perClient == null ? Integer.MAX_VALUE : perClient;
        long openFiles = ConnectionBudget.openFileLimit();
        Integer total = positiveIntOr(ConfigKey.LIMIT_CONNECTIONS, ConnectionBudget.AUTO);
        if (total == null) {
            return ConnectionBudget.derive(openFiles, perClientCap);
        }
        if (total > ConnectionBudget.fitsLimit(openFiles)) {
            warnings.add(ConfigKey.LIMIT_CONNECTIONS.name + ": " + total + " connections need more than the "
                    + "open-file limit of " + openFiles + " allows (about " + ConnectionBudget.fitsLimit(openFiles)
                    + "): past that, accepting fails for every client; raise the limit (ulimit -n, LimitNOFILE=) "
                    + "or use auto");
        }
        return new ConnectionBudget(total, perClientCap, "set by " + ConfigKey.LIMIT_CONNECTIONS.name);
    }

    private Http2Limits http2() throws ConfigException {
        Duration window = duration(ConfigKey.HTTP2_RESET_WINDOW);
        if (window.toSeconds() < 1) {
            throw ConfigException.bad(
                    ConfigKey.HTTP2_RESET_WINDOW.name,
                    text(ConfigKey.HTTP2_RESET_WINDOW),
                    "must be at least 1s (Netty counts resets per whole second)");
        }
        return new Http2Limits(
                positiveInt(ConfigKey.HTTP2_MAX_CONCURRENT_STREAMS),
                positiveInt(ConfigKey.HTTP2_MAX_HEADER_LIST_SIZE),
                positiveInt(ConfigKey.HTTP2_MAX_RESETS),
                window,
                positiveInt(ConfigKey.HTTP2_MAX_QUEUED_CONTROL_FRAMES),
                positiveInt(ConfigKey.HTTP2_MAX_EMPTY_DATA_FRAMES),
                positiveInt(ConfigKey.HTTP2_MAX_SMALL_CONTINUATIONS));
    }

    private AutoPassthroughSettings autoPassthrough() throws ConfigException {
        return new AutoPassthroughSettings(
                bool(ConfigKey.AUTO_PASSTHROUGH_ENABLED),
                positiveInt(ConfigKey.AUTO_PASSTHROUGH_FAILURES),
                duration(ConfigKey.AUTO_PASSTHROUGH_WINDOW),
                duration(ConfigKey.AUTO_PASSTHROUGH_TTL),
                positiveInt(ConfigKey.AUTO_PASSTHROUGH_MAX_HOSTS));
    }
}
