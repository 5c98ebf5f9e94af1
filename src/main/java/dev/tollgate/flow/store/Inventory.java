package dev.tollgate.flow.store;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every distinct destination the proxy saw since it started (the egress inventory): what an
 * operator reads before switching the egress policy to an allow-list. It outlives the flow
 * store's window on purpose; it is bounded by {@code maxDestinations} (later new destinations
 * are only counted) and each destination keeps at most {@code MAX_CLIENTS} client addresses.
 */
public final class Inventory implements FlowSink {
    static final int MAX_CLIENTS = 32;

    private final int maxDestinations;
    private final Map<String, Destination> destinations = new HashMap<>();
    private long overflow;

    public Inventory(int maxDestinations) {
        this.maxDestinations = maxDestinations;
    }

    @Override
    public synchronized void ended(FlowRecord f) {
        FlowTarget t = FlowTarget.of(f);
        if (t == null || f.mode() == FlowMode.LOCAL) {
            return;
        }
        String key = t.authority();
        Destination d = destinations.get(key);
        if (d == null) {
            if (destinations.size() >= maxDestinations) {
                overflow++;
                return;
            }
            d = new Destination(t.host(), t.port(), f.start());
            destinations.put(key, d);
        }
        d.add(f);
    }

    /** A copy of every destination, busiest first. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(destinations.size());
        for (Destination d : destinations.values()) {
            out.add(d.entry());
        }
        out.sort(Comparator.comparingLong(Entry::count).reversed().thenComparing(Entry::authority));
        return out;
    }

    /** Destinations seen after the bound was reached, which the inventory does not list. */
    public synchronized long overflow() {
        return overflow;
    }

    /**
     * One destination.
     *
     * @param sni the names clients sent in TLS (usually the host itself)
     * @param alpn the protocols agreed with clients or origins
     * @param modes what the proxy did (a destination that was only ever denied is not allowed egress yet)
     */
    public record Entry(
            String host,
            int port,
            Set<String> sni,
            Set<String> alpn,
            Set<FlowMode> modes,
            long count,
            long errors,
            long bytesUp,
            long bytesDown,
            Instant firstSeen,
            Instant lastSeen,
            Set<String> clients,
            boolean moreClients) {

        public String authority() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        /** Was anything let through to it (not only refused)? */
        public boolean passed() {
            return modes.stream().anyMatch(m -> m != FlowMode.DENY);
        }
    }

    private static final class Destination {
        final String host;
        final int port;
        final Instant first;
        Instant last;
        final Set<String> sni = new TreeSet<>();
        final Set<String> alpn = new TreeSet<>();
        final Set<FlowMode> modes = EnumSet.noneOf(FlowMode.class);
        final Set<String> clients = new TreeSet<>();
        boolean moreClients;
        long count;
        long errors;
        long up;
        long down;

        Destination(String host, int port, Instant first) {
            this.host = host;
            this.port = port;
            this.first = first;
            this.last = first;
        }

        void add(FlowRecord f) {
            count++;
            errors += f.error() == null ? 0 : 1;
            up += f.bytesUp();
            down += f.bytesDown();
            if (f.start().isAfter(last)) {
                last = f.start();
            }
            if (f.mode() != null) {
                modes.add(f.mode());
            }
            addIfPresent(sni, f.tls().sni());
            addIfPresent(alpn, f.tls().alpn());
            addIfPresent(alpn, f.tls().upstreamAlpn());
            String client = clientHost(f.client());
            if (client != null && !clients.contains(client)) {
                if (clients.size() < MAX_CLIENTS) {
                    clients.add(client);
                } else {
                    moreClients = true;
                }
            }
        }

        Entry entry() {
            return new Entry(
                    host,
                    port,
                    Set.copyOf(sni),
                    Set.copyOf(alpn),
                    Set.copyOf(modes),
                    count,
                    errors,
                    up,
                    down,
                    first,
                    last,
                    Set.copyOf(clients),
                    moreClients);
        }

        private static void addIfPresent(Set<String> set, String v) {
            if (v != null && !v.isEmpty() && set.size() < 8) {
                set.add(v);
            }
        }

        /** The client's address without its (ephemeral) port. */
        private static String clientHost(String client) {
            if (client == null) {
                return null;
            }
            int colon = client.lastIndexOf(':');
            return colon > 0 && client.indexOf(']') < colon ? client.substring(0, colon) : client;
        }
    }
}
