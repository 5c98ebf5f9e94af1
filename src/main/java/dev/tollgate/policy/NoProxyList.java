package dev.tollgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An ordered, immutable list of {@link HostPattern}s: the {@code noProxy} list, and also the
 * passthrough and egress lists, which use the same syntax. See {@link HostPattern} for what an
 * entry matches.
 *
 * <p>Blank entries are skipped, as {@code NO_PROXY=a.com,,b.com} is common in the wild; the index
 * of a bad entry still counts them, so it points at the entry the user wrote.
 */
public final class NoProxyList {
    public static final NoProxyList EMPTY = new NoProxyList(List.of(), List.of());

    private final List<HostPattern> patterns;
    private final List<String> warnings;
    private final MatchIndex index;

    private NoProxyList(List<HostPattern> patterns, List<String> warnings) {
        this.patterns = List.copyOf(patterns);
        this.warnings = List.copyOf(warnings);
        this.index = new MatchIndex(this.patterns);
    }

    /** Throws {@link IndexedPatternException} for the first bad entry. */
    public static NoProxyList parse(List<String> entries) {
        List<HostPattern> patterns = new ArrayList<>(entries.size());
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = Objects.requireNonNull(entries.get(i), "entry");
            if (entry.isBlank()) {
                continue;
            }
            HostPattern pattern = parseAt(i, entry);
            patterns.add(pattern);
            if (pattern.warning() != null) {
                warnings.add(pattern.warning());
            }
        }
        return patterns.isEmpty() ? EMPTY : new NoProxyList(patterns, warnings);
    }

    /** A comma-separated list such as {@code "a.com, .b.com,10.0.0.0/8"}. */
    public static NoProxyList parse(String commaList) {
        return parse(List.of(commaList.split(",", -1)));
    }

    private static HostPattern parseAt(int index, String entry) {
        try {
            return HostPattern.parse(entry);
        } catch (PatternException e) {
            throw new IndexedPatternException(index, e);
        }
    }

    public boolean matches(String host, int port) {
        return index.first(host, port) != null;
    }

    /** The first pattern that matches, or null; used to name the rule in logs and 403 bodies. */
    public HostPattern firstMatch(String host, int port) {
        return index.first(host, port);
    }

    public List<HostPattern> patterns() {
        return patterns;
    }

    /** How entries were read differently from how they were written; the caller logs these. */
    public List<String> warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Comma-joined normalized patterns; {@link #parse(String)} reads it back. */
    @Override
    public String toString() {
        return patterns.stream().map(HostPattern::toString).collect(Collectors.joining(","));
    }
}
