package dev.tollgate.config;

import dev.tollgate.policy.ClientAcl;
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
    private static final Pattern BYTE_SIZE = Pattern.compile("(\\d{1,18})\\s*(KiB|MiB|GiB)?");

    private final Map<ConfigKey, Object> raw;
    private final List<String> warnings = new ArrayList<>();

    ConfigBinder(Map<ConfigKey, Object> raw) {
        this.raw = raw;
    }

    /** A warning the config loads with (the banner and the reload log print them). */
    void warn(String warning) {
        warnings.add(warning);
    }

    ProxyConfig bind() throws ConfigException {
        ConfigSections sections = new ConfigSections(this);
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
                sections.egress(),
                sections.timeouts(),
                sections.limits(),
                sections.admin(),
                sections.transparent(),
                sections.http2(),
                sections.autoPassthrough(),
                List.copyOf(warnings));
    }

    String text(ConfigKey key) {
        Object v = raw.getOrDefault(key, key.defaultValue);
        if (v instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return v == null ? null : v.toString().trim();
    }

    List<String> list(ConfigKey key) {
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

    NoProxyList patterns(ConfigKey key) throws ConfigException {
        try {
            NoProxyList parsed = NoProxyList.parse(list(key));
            parsed.warnings().forEach(w -> warnings.add(key.name + ": " + w));
            return parsed;
        } catch (IndexedPatternException e) {
            throw new ConfigException(key.name + "[" + e.index() + "]", e.getMessage());
        }
    }

    ClientAcl acl(ConfigKey key) throws ConfigException {
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

    boolean bool(ConfigKey key) throws ConfigException {
        String v = text(key).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw ConfigException.bad(key.name, v, "must be true or false");
    }

    Path path(ConfigKey key) {
        String v = text(key);
        return v == null || v.isEmpty() ? null : Path.of(v);
    }

    /**
     * A file read at start: checked here, so that a typo is reported with the key (and flag)
     * that named it, as a usage error, instead of as a failure deep in the start.
     */
    Path file(ConfigKey key) throws ConfigException {
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
    Path pairedFile(ConfigKey key, ConfigKey partner) throws ConfigException {
        Path p = file(key);
        if (p != null && path(partner) == null) {
            throw ConfigException.bad(
                    key.name, p, "needs " + partner.name + " as well (--ca-cert and --ca-key come" + " together)");
        }
        return p;
    }

    Duration duration(ConfigKey key) throws ConfigException {
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

    int positiveInt(ConfigKey key) throws ConfigException {
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
    Integer positiveIntOr(ConfigKey key, String word) throws ConfigException {
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

    Set<Integer> ports(ConfigKey key) throws ConfigException {
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

    long byteSize(ConfigKey key) throws ConfigException {
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
}
