package dev.tollgate.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many client connections the proxy holds open at once, and per client address.
 *
 * <p>The total ({@code limits.maxConnections: auto}) follows the process's open-file limit: a
 * proxied connection costs two descriptors (the client's and the upstream's), and a share is
 * kept back for pooled idle upstreams, the admin listener, the event loops and the JVM's own
 * files. A fixed total either wastes a big node's limit or promises more than a small one has
 * (accept then fails with EMFILE for everyone instead of a clear 503 for the excess).
 *
 * <p>The per-client cap is off by default: AKS with kubenet (and most NATed egress) sends every
 * pod of a node from the node's one address, so a per-address cap throttles a whole busy node.
 *
 * @param maxConnections client connections open at once (more are answered 503 and closed)
 * @param maxConnectionsPerClient the same per client address; {@link Integer#MAX_VALUE} = off
 * @param basis why the total is what it is, for the start-up banner
 */
public record ConnectionBudget(int maxConnections, int maxConnectionsPerClient, String basis) {
    /** A proxied connection: the client's socket and the upstream's. */
    static final int DESCRIPTORS_PER_CONNECTION = 2;
    /** Kept back at least, for what is not a proxied connection. */
    static final long KEPT_BACK_MIN = 256;
    /** The total when the platform does not tell its open-file limit (not Unix). */
    static final int UNKNOWN_LIMIT_TOTAL = 10_000;

    static final String AUTO = "auto";
    static final String OFF = "off";

    /**
     * The total {@code auto} gives for an open-file limit: a tenth of the descriptors (at least
     * {@value #KEPT_BACK_MIN}, at most half) kept back, two per connection for the rest.
     *
     * @param openFileLimit the soft RLIMIT_NOFILE the JVM runs with; 0 or less = unknown
     */
    static ConnectionBudget derive(long openFileLimit, int maxConnectionsPerClient) {
        if (openFileLimit <= 0) {
            return new ConnectionBudget(
                    UNKNOWN_LIMIT_TOTAL,
                    maxConnectionsPerClient,
                    "auto, the open-file limit is unknown on this platform: " + UNKNOWN_LIMIT_TOTAL);
        }
        long keptBack = Math.min(Math.max(KEPT_BACK_MIN, openFileLimit / 10), openFileLimit / 2);
        long total = Math.max(1, (openFileLimit - keptBack) / DESCRIPTORS_PER_CONNECTION);
        return new ConnectionBudget(
                (int) Math.min(Integer.MAX_VALUE, total),
                maxConnectionsPerClient,
                "auto, from the open-file limit " + openFileLimit + ": " + DESCRIPTORS_PER_CONNECTION
                        + " per connection, " + keptBack + " kept back");
    }

    /** The soft RLIMIT_NOFILE of this process (HotSpot raises it to the hard limit at start), or -1. */
    static long openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** Connections past this total need more descriptors than the process may open. */
    static int fitsLimit(long openFileLimit) {
        return openFileLimit <= 0 ? Integer.MAX_VALUE : derive(openFileLimit, 0).maxConnections;
    }

    /** For the start-up banner: the effective limits and where the total comes from. */
    public String summary() {
        return "maxConnections=" + maxConnections + " (" + basis + ") maxConnectionsPerClient="
                + (maxConnectionsPerClient == Integer.MAX_VALUE ? OFF : String.valueOf(maxConnectionsPerClient));
    }
}
