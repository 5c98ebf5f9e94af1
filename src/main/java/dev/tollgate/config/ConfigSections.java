package dev.tollgate.config;

import dev.tollgate.policy.EgressPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The grouped settings (egress, admin listener, transparent listener, timeouts, limits, HTTP/2,
 * auto-passthrough): each group's cross-key rules, over the single values {@link ConfigBinder}
 * reads and checks.
 */
final class ConfigSections {
    private static final Duration MAX_CLIENT_FIRST_BYTE = Duration.ofSeconds(5);

    private final ConfigBinder values;

    ConfigSections(ConfigBinder values) {
        this.values = values;
    }

    EgressPolicy egress() throws ConfigException {
        String modeText = values.text(ConfigKey.EGRESS_MODE).toLowerCase(Locale.ROOT);
        EgressPolicy.Mode mode = switch (modeText) {
            case "allow-list" -> EgressPolicy.Mode.ALLOW_LIST;
            case "deny-list" -> EgressPolicy.Mode.DENY_LIST;
            default ->
                throw ConfigException.bad(ConfigKey.EGRESS_MODE.name, modeText, "must be allow-list or deny-list");
        };
        Set<Integer> ports = values.ports(ConfigKey.EGRESS_PORTS);
        try {
            return EgressPolicy.of(
                    mode,
                    values.patterns(ConfigKey.EGRESS_ALLOW),
                    values.patterns(ConfigKey.EGRESS_DENY),
                    ports.isEmpty() ? null : List.copyOf(ports));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("egress", e.getMessage());
        }
    }

    ProxyConfig.Admin admin() throws ConfigException {
        String listen = values.text(ConfigKey.ADMIN_LISTEN);
        HostPort address = listen.equalsIgnoreCase("off") ? null : HostPort.parse(ConfigKey.ADMIN_LISTEN.name, listen);
        HostPort proxy = HostPort.parse(ConfigKey.LISTEN.name, values.text(ConfigKey.LISTEN));
        if (address != null && address.port() != 0 && address.port() == proxy.port()) {
            throw ConfigException.bad(
                    ConfigKey.ADMIN_LISTEN.name,
                    listen,
                    "is the proxy's port (listen: " + proxy + "): the admin listener needs a port of its own");
        }
        long maxBody = values.byteSize(ConfigKey.ADMIN_CAPTURE_MAX_BODY_BYTES);
        if (maxBody > Integer.MAX_VALUE) {
            throw ConfigException.bad(
                    ConfigKey.ADMIN_CAPTURE_MAX_BODY_BYTES.name,
                    values.text(ConfigKey.ADMIN_CAPTURE_MAX_BODY_BYTES),
                    "must be below 2GiB");
        }
        return new ProxyConfig.Admin(
                address,
                values.file(ConfigKey.ADMIN_TOKEN_FILE),
                values.positiveInt(ConfigKey.ADMIN_FLOWS_MAX),
                values.byteSize(ConfigKey.ADMIN_FLOWS_MAX_BYTES),
                values.patterns(ConfigKey.ADMIN_CAPTURE_HOSTS),
                (int) maxBody);
    }

    /** Off unless set; never the proxy's or the admin listener's port, which would loop or clash. */
    HostPort transparent() throws ConfigException {
        String listen = values.text(ConfigKey.TRANSPARENT_LISTEN);
        // "false" too: YAML 1.1 reads an unquoted off as the boolean false
        if (listen == null || listen.isEmpty() || listen.equalsIgnoreCase("off") || listen.equalsIgnoreCase("false")) {
            return null;
        }
        HostPort address = HostPort.parse(ConfigKey.TRANSPARENT_LISTEN.name, listen);
        HostPort proxy = HostPort.parse(ConfigKey.LISTEN.name, values.text(ConfigKey.LISTEN));
        if (address.port() != 0 && address.port() == proxy.port()) {
            throw ConfigException.bad(
                    ConfigKey.TRANSPARENT_LISTEN.name,
                    listen,
                    "is the proxy's port (listen: " + proxy + "): redirected connections need a port of their own");
        }
        String admin = values.text(ConfigKey.ADMIN_LISTEN);
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

    Timeouts timeouts() throws ConfigException {
        return new Timeouts(
                values.duration(ConfigKey.TIMEOUT_CONNECT),
                values.duration(ConfigKey.TIMEOUT_FIRST_BYTE),
                values.duration(ConfigKey.TIMEOUT_IDLE_CLIENT),
                values.duration(ConfigKey.TIMEOUT_IDLE_UPSTREAM),
                values.duration(ConfigKey.TIMEOUT_IDLE_TUNNEL),
                values.duration(ConfigKey.TIMEOUT_HANDSHAKE),
                values.duration(ConfigKey.TIMEOUT_DRAIN),
                values.duration(ConfigKey.TIMEOUT_REQUEST_HEAD),
                clientFirstByte());
    }

    /**
     * Every TLS or HTTP client waits this long for nothing when it speaks first anyway, but a
     * client of a server-speaks-first protocol waits this long for the banner: keep it short.
     */
    private Duration clientFirstByte() throws ConfigException {
        Duration d = values.duration(ConfigKey.TIMEOUT_CLIENT_FIRST_BYTE);
        if (d.compareTo(MAX_CLIENT_FIRST_BYTE) > 0) {
            throw ConfigException.bad(
                    ConfigKey.TIMEOUT_CLIENT_FIRST_BYTE.name,
                    values.text(ConfigKey.TIMEOUT_CLIENT_FIRST_BYTE),
                    "is too long: at most " + MAX_CLIENT_FIRST_BYTE.toSeconds() + "s (clients of server-speaks-first "
                            + "protocols wait this long for the banner)");
        }
        return d;
    }

    ProxyConfig.Limits limits() throws ConfigException {
        return new ProxyConfig.Limits(
                values.positiveInt(ConfigKey.LIMIT_INITIAL_LINE),
                values.positiveInt(ConfigKey.LIMIT_HEADER_SIZE),
                values.positiveInt(ConfigKey.LIMIT_IDLE_PER_UPSTREAM),
                values.positiveInt(ConfigKey.LIMIT_HEADER_COUNT),
                connections(),
                values.positiveInt(ConfigKey.LIMIT_PIPELINED));
    }

    private ConnectionBudget connections() throws ConfigException {
        // YAML 1.1 reads an unquoted off (and no) as false
        Integer perClient = "false".equals(values.text(ConfigKey.LIMIT_CONNECTIONS_PER_CLIENT))
                ? null
                : values.positiveIntOr(ConfigKey.LIMIT_CONNECTIONS_PER_CLIENT, ConnectionBudget.OFF);
        int perClientCap = perClient == null ? Integer.MAX_VALUE : perClient;
        long openFiles = ConnectionBudget.openFileLimit();
        Integer total = values.positiveIntOr(ConfigKey.LIMIT_CONNECTIONS, ConnectionBudget.AUTO);
        if (total == null) {
            return ConnectionBudget.derive(openFiles, perClientCap);
        }
        if (total > ConnectionBudget.fitsLimit(openFiles)) {
            values.warn(ConfigKey.LIMIT_CONNECTIONS.name + ": " + total + " connections need more than the "
                    + "open-file limit of " + openFiles + " allows (about " + ConnectionBudget.fitsLimit(openFiles)
                    + "): past that, accepting fails for every client; raise the limit (ulimit -n, LimitNOFILE=) "
                    + "or use auto");
        }
        return new ConnectionBudget(total, perClientCap, "set by " + ConfigKey.LIMIT_CONNECTIONS.name);
    }

    Http2Limits http2() throws ConfigException {
        Duration window = values.duration(ConfigKey.HTTP2_RESET_WINDOW);
        if (window.toSeconds() < 1) {
            throw ConfigException.bad(
                    ConfigKey.HTTP2_RESET_WINDOW.name,
                    values.text(ConfigKey.HTTP2_RESET_WINDOW),
                    "must be at least 1s (Netty counts resets per whole second)");
        }
        return new Http2Limits(
                values.positiveInt(ConfigKey.HTTP2_MAX_CONCURRENT_STREAMS),
                values.positiveInt(ConfigKey.HTTP2_MAX_HEADER_LIST_SIZE),
                values.positiveInt(ConfigKey.HTTP2_MAX_RESETS),
                window,
                values.positiveInt(ConfigKey.HTTP2_MAX_QUEUED_CONTROL_FRAMES),
                values.positiveInt(ConfigKey.HTTP2_MAX_EMPTY_DATA_FRAMES),
                values.positiveInt(ConfigKey.HTTP2_MAX_SMALL_CONTINUATIONS));
    }

    AutoPassthroughSettings autoPassthrough() throws ConfigException {
        return new AutoPassthroughSettings(
                values.bool(ConfigKey.AUTO_PASSTHROUGH_ENABLED),
                values.positiveInt(ConfigKey.AUTO_PASSTHROUGH_FAILURES),
                values.duration(ConfigKey.AUTO_PASSTHROUGH_WINDOW),
                values.duration(ConfigKey.AUTO_PASSTHROUGH_TTL),
                values.positiveInt(ConfigKey.AUTO_PASSTHROUGH_MAX_HOSTS));
    }
}
