package dev.tollgate.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header lines of one message as a flow keeps them: in order, with the values of the
 * headers that carry credentials replaced, so nothing downstream of a flow (log, viewer, HAR)
 * can leak them.
 */
public record FlowHeaders(List<Map.Entry<String, String>> lines) {
    public static final FlowHeaders NONE = new FlowHeaders(List.of());
    static final String MASK = "REDACTED";
    private static final Set<String> SECRET = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    public FlowHeaders {
        lines = Collections.unmodifiableList(lines);
    }

    /** A redacted copy of {@code headers} (Netty's HttpHeaders is such an iterable). */
    public static FlowHeaders redacted(Iterable<Map.Entry<String, String>> headers) {
        List<Map.Entry<String, String>> copy = new ArrayList<>(16);
        for (Map.Entry<String, String> h : headers) {
            String value = SECRET.contains(h.getKey().toLowerCase(Locale.ROOT)) ? MASK : h.getValue();
            copy.add(Map.entry(h.getKey(), value));
        }
        return new FlowHeaders(copy);
    }

    /** The first value of a header, ignoring case, or null. */
    public String get(String name) {
        for (Map.Entry<String, String> h : lines) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** Bytes this copy holds, roughly: what a bounded store charges for it. */
    public long weight() {
        long w = 16;
        for (Map.Entry<String, String> h : lines) {
            w += 48 + 2L * (h.getKey().length() + h.getValue().length());
        }
        return w;
    }
}
