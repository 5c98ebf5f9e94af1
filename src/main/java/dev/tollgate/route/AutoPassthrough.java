package dev.tollgate.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.config.AutoPassthroughSettings;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts tunnelled blind for a while because clients kept rejecting their forged leaf (pinned
 * clients): {@code interception.autoPassthrough}. Shared by every event loop, so both tables
 * are Caffeine caches: the rejection counts expire with the window, the hosts with the TTL, and
 * both are bounded. Each host entering and leaving is logged with its evidence: an operator
 * must be able to tell why a host is no longer intercepted.
 *
 * <p>Outlives config reloads (the server keeps one for its life); its settings are read once.
 */
public final class AutoPassthrough {
    private static final Logger LOG = LoggerFactory.getLogger("tollgate.auto-passthrough");
    private static final AutoPassthrough OFF = new AutoPassthrough();

    /** A host in the table: since when, until when, and the rejections that put it there. */
    public record Host(String host, Instant since, Instant expires, List<String> evidence) {}

    private final AutoPassthroughSettings settings;
    private final BiPredicate<String, Integer> denied;
    private final Cache<String, Strikes> strikes;
    private final Cache<String, Host> hosts;
    private final Ticker ticker;
    private final LongAdder entered = new LongAdder();

    private AutoPassthrough() {
        this.settings = null;
        this.denied = (h, p) -> true;
        this.ticker = null;
        this.strikes = null;
        this.hosts = null;
    }

    /**
     * @param denied true for a host and port an egress deny rule covers: such a host never enters
     * @param ticker the clock of both windows (a fake one in tests)
     * @param scheduler wakes the table when a host expires, so the expiry is logged on time
     * @param executor runs evictions and their log lines
     */
    AutoPassthrough(
            AutoPassthroughSettings settings,
            BiPredicate<String, Integer> denied,
            Ticker ticker,
            Scheduler scheduler,
            Executor executor) {
        this.settings = settings;
        this.denied = denied;
        this.ticker = ticker;
        this.strikes = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(executor)
                .expireAfterWrite(settings.window())
                // counting is bounded too: a burst of rejections for many names cannot grow it
                .maximumSize(Math.max(1000L, 4L * settings.maxHosts()))
                .build();
        this.hosts = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(executor)
                .scheduler(scheduler)
                .expireAfterWrite(settings.ttl())
                .maximumSize(settings.maxHosts())
                .<String, Host>removalListener((host, entry, cause) -> left(entry, cause))
                .build();
    }

    /** The table for {@code settings}, or one that never admits a host when they say off. */
    public static AutoPassthrough of(AutoPassthroughSettings settings, BiPredicate<String, Integer> denied) {
        if (!settings.enabled()) {
            return OFF;
        }
        return new AutoPassthrough(settings, denied, Ticker.systemTicker(), Scheduler.systemScheduler(), Runnable::run);
    }

    public static AutoPassthrough off() {
        return OFF;
    }

    public boolean enabled() {
        return settings != null;
    }

    /** null when off. */
    public AutoPassthroughSettings settings() {
        return settings;
    }

    /** True while {@code host} is tunnelled blind by this table. */
    public boolean covers(String host) {
        return hosts != null && hosts.getIfPresent(key(host)) != null;
    }

    /**
     * A client rejected the forged leaf for {@code host}. Only rejections count: a client that
     * left or stalled says nothing about pinning.
     *
     * @param note who rejected it and how, for the audit line
     */
    public void rejected(String host, int port, String note) {
        if (hosts == null || covers(host) || denied.test(host, port)) {
            return;
        }
        String key = key(host);
        long window = settings.window().toNanos();
        Strikes now = strikes.asMap()
                .compute(
                        key,
                        (k, old) -> (old == null ? Strikes.NONE : old)
                                .add(ticker.read(), window, settings.failures(), note));
        if (now.count() >= settings.failures()) {
            strikes.invalidate(key);
            enter(key, now);
        }
    }

    private void enter(String host, Strikes evidence) {
        hosts.cleanUp();
        if (hosts.estimatedSize() >= settings.maxHosts()) {
            LOG.warn(
                    "auto-passthrough: {} stays intercepted although clients rejected its forged certificate {} times "
                            + "within {}: the table is full (interception.autoPassthrough.maxHosts: {})",
                    host,
                    evidence.count(),
                    settings.window(),
                    settings.maxHosts());
            return;
        }
        Instant since = Instant.now();
        Host entry = new Host(host, since, since.plus(settings.ttl()), evidence.notes());
        if (hosts.asMap().putIfAbsent(host, entry) != null) {
            return; // another loop put it there a moment ago and logged it
        }
        entered.increment();
        LOG.warn(
                "auto-passthrough: {} is tunnelled blind (bypass (auto)) for {}, until {}: clients rejected its forged "
                        + "certificate {} times within {}: {}",
                host,
                settings.ttl(),
                entry.expires(),
                evidence.count(),
                settings.window(),
                String.join("; ", evidence.notes()));
    }

    private void left(Host entry, RemovalCause cause) {
        if (entry == null) {
            return;
        }
        if (cause == RemovalCause.EXPIRED) {
            LOG.info(
                    "auto-passthrough: {} expired (tunnelled blind since {}): it is intercepted again",
                    entry.host(),
                    entry.since());
        } else {
            LOG.info("auto-passthrough: {} left the table ({}): it is intercepted again", entry.host(), cause);
        }
    }

    /** The hosts now in the table, soonest expiry first. */
    public List<Host> hosts() {
        if (hosts == null) {
            return List.of();
        }
        hosts.cleanUp();
        return hosts.asMap().values().stream()
                .sorted(Comparator.comparing(Host::expires))
                .toList();
    }

    /** Hosts that entered the table since start. */
    public long entered() {
        return entered.sum();
    }

    /** Caffeine's maintenance, now: tests with a fake ticker see expiry without waiting. */
    void cleanUp() {
        if (hosts != null) {
            hosts.cleanUp();
            strikes.cleanUp();
        }
    }

    /** One line for the log on a reload (SIGHUP): what the table holds and until when. */
    public String summary() {
        if (!enabled()) {
            return "auto-passthrough off";
        }
        List<Host> now = hosts();
        if (now.isEmpty()) {
            return "auto-passthrough on, no host tunnelled blind";
        }
        StringBuilder b = new StringBuilder("auto-passthrough tunnels blind ")
                .append(now.size())
                .append(" host(s):");
        for (Host h : now) {
            b.append(' ')
                    .append(h.host())
                    .append(" (until ")
                    .append(h.expires())
                    .append(')');
        }
        return b.toString();
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
