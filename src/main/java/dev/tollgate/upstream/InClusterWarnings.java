package dev.tollgate.upstream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN for in-cluster names, rate-limited per suggested entry: the first request for an
 * entry is logged at once (the operator sees the mistake now), later ones are counted and
 * summed up at most once a period. At most {@link #MAX_ENTRIES} entries are tracked, so a
 * client spraying made-up dotless names cannot grow the map; past that, names share one
 * summary line.
 */
final class InClusterWarnings {
    private static final Logger LOG = LoggerFactory.getLogger("tollgate.advice");
    static final int MAX_ENTRIES = 1000;
    private static final String OVERFLOW = "(other names)";

    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
    private final long periodNanos;
    private final LongSupplier clock;
    private final Sink sink;

    /** Where the lines go; a seam for tests. */
    interface Sink {
        void warn(String line);
    }

    private static final class Tally {
        final AtomicLong total = new AtomicLong();
        final AtomicLong atLastWarn = new AtomicLong();
        final AtomicLong nextWarnNanos;

        Tally(long next) {
            nextWarnNanos = new AtomicLong(next);
        }
    }

    InClusterWarnings(long period, TimeUnit unit, LongSupplier nanoClock, Sink sink) {
        this.periodNanos = unit.toNanos(period);
        this.clock = nanoClock;
        this.sink = sink;
    }

    static InClusterWarnings standard() {
        return new InClusterWarnings(1, TimeUnit.MINUTES, System::nanoTime, LOG::warn);
    }

    /** One request for {@code host} that got {@code advice}. */
    void seen(String host, InClusterNames.Advice advice) {
        String key = tallies.size() >= MAX_ENTRIES && !tallies.containsKey(advice.entry()) ? OVERFLOW : advice.entry();
        long now = clock.getAsLong();
        Tally t = tallies.computeIfAbsent(key, k -> new Tally(now + periodNanos));
        long total = t.total.incrementAndGet();
        if (total == 1) {
            sink.warn("in-cluster name " + host + " sent to the proxy and it does not resolve here: " + advice.text()
                    + " (first request; later ones are counted in tollgate_in_cluster_names_total and summed up "
                    + "here at most once a minute)");
            t.atLastWarn.set(1);
            return;
        }
        long due = t.nextWarnNanos.get();
        if (now - due >= 0 && t.nextWarnNanos.compareAndSet(due, now + periodNanos)) {
            long since = total - t.atLastWarn.getAndSet(total);
            sink.warn("in-cluster names for noProxy entry " + key + ": " + since + " more request(s) since the last "
                    + "warning (" + total + " in all); last " + host + ": " + advice.text());
        }
    }
}
