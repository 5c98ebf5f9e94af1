package dev.tollgate.flow.store;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The viewer's filters, as query parameters so a view can be shared by its URL:
 * {@code host} (substring), {@code status} (classes such as {@code 2xx,5xx}, or {@code none}
 * for flows without a response), {@code mode} (words such as {@code intercept,deny}),
 * {@code client} (substring), {@code errors=1} (only flows with an error), {@code q} (free text
 * over method, URL, client, upstream, SNI and error).
 */
public record FlowQuery(
        String host, Set<Integer> statusClasses, Set<FlowMode> modes, String client, boolean errorsOnly, String text)
        implements Predicate<FlowRecord> {
    public static final FlowQuery ALL = new FlowQuery(null, Set.of(), Set.of(), null, false, null);

    /** @throws IllegalArgumentException naming the parameter, the value and what it should be */
    public static FlowQuery parse(Map<String, String> p) {
        return new FlowQuery(
                lower(p.get("host")),
                statusClasses(p.get("status")),
                modes(p.get("mode")),
                lower(p.get("client")),
                flag("errors", p.get("errors")),
                lower(p.get("q")));
    }

    @Override
    public boolean test(FlowRecord f) {
        if (errorsOnly && f.error() == null) {
            return false;
        }
        if (!modes.isEmpty() && (f.mode() == null || !modes.contains(f.mode()))) {
            return false;
        }
        if (!statusClasses.isEmpty() && !statusClasses.contains(f.status() / 100)) {
            return false;
        }
        if (host != null) {
            FlowTarget t = FlowTarget.of(f);
            if (t == null || !t.host().contains(host)) {
                return false;
            }
        }
        if (client != null
                && (f.client() == null || !f.client().toLowerCase(Locale.ROOT).contains(client))) {
            return false;
        }
        return text == null || matchesText(f);
    }

    private boolean matchesText(FlowRecord f) {
        for (String s : new String[] {
            f.method(), f.url(), f.client(), f.upstream(), f.error(), f.tls().sni()
        }) {
            if (s != null && s.toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String lower(String v) {
        return v == null || v.isBlank() ? null : v.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean flag(String name, String v) {
        if (v == null || v.isEmpty() || v.equals("0") || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equals("1") || v.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + "=" + v + ": must be 1 or 0");
    }

    private static Set<Integer> statusClasses(String v) {
        if (v == null || v.isBlank()) {
            return Set.of();
        }
        Set<Integer> out = new HashSet<>();
        for (String item : v.split(",")) {
            String s = item.strip().toLowerCase(Locale.ROOT);
            if (s.equals("none")) {
                out.add(0);
            } else if (s.matches("[1-5]xx")) {
                out.add(s.charAt(0) - '0');
            } else {
                throw new IllegalArgumentException("status=" + v + ": \"" + item + "\" is not a status class "
                        + "(1xx, 2xx, 3xx, 4xx, 5xx or none)");
            }
        }
        return Set.copyOf(out);
    }

    private static Set<FlowMode> modes(String v) {
        if (v == null || v.isBlank()) {
            return Set.of();
        }
        Set<FlowMode> out = EnumSet.noneOf(FlowMode.class);
        for (String item : v.split(",")) {
            try {
                out.add(FlowMode.ofWord(item.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode=" + v + ": \"" + item + "\" is not a mode ("
                        + String.join(
                                ", ",
                                Arrays.stream(FlowMode.values())
                                        .map(FlowMode::word)
                                        .toList()) + ")");
            }
        }
        return Set.copyOf(out);
    }
}
