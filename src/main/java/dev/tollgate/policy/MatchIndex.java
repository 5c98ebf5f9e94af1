package dev.tollgate.policy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the first matching pattern of a list without trying every pattern.
 *
 * <p>Name entries sit in a map keyed by canonical name, so a target costs one lookup per label
 * suffix ({@code a.b.example.com}, {@code b.example.com}, {@code example.com}, {@code com})
 * however long the list is. Address entries are few in practice and are scanned in order.
 * Every bucket holds list positions in ascending order, so "first" means first in the list.
 */
final class MatchIndex {
    private static final int NONE = Integer.MAX_VALUE;

    private final HostPattern[] patterns;
    private final int[] wildcards;
    private final int[] addresses;
    private final Map<String, int[]> names = new HashMap<>();

    MatchIndex(List<HostPattern> list) {
        patterns = list.toArray(new HostPattern[0]);
        int[] any = new int[patterns.length];
        int[] ips = new int[patterns.length];
        int anyCount = 0;
        int ipCount = 0;
        for (int i = 0; i < patterns.length; i++) {
            switch (patterns[i].kind()) {
                case ANY -> any[anyCount++] = i;
                case ADDRESS -> ips[ipCount++] = i;
                case NAME -> names.merge(patterns[i].name(), new int[] {i}, MatchIndex::append);
            }
        }
        wildcards = Arrays.copyOf(any, anyCount);
        addresses = Arrays.copyOf(ips, ipCount);
    }

    private static int[] append(int[] existing, int[] more) {
        int[] joined = Arrays.copyOf(existing, existing.length + more.length);
        System.arraycopy(more, 0, joined, existing.length, more.length);
        return joined;
    }

    /** The first matching pattern, or null. */
    HostPattern first(String host, int port) {
        int best = firstPortMatch(wildcards, port, NONE);
        String target = host.strip();
        byte[] address = IpLiteral.parse(target);
        if (address != null) {
            best = firstAddressMatch(address, port, best);
        } else if (!names.isEmpty()) {
            String name = HostNames.canonicalTarget(target);
            best = name == null ? best : firstNameMatch(name, port, best);
        }
        return best == NONE ? null : patterns[best];
    }

    /** Each helper only looks at positions before {@code best}: later ones cannot win. */
    private int firstPortMatch(int[] bucket, int port, int best) {
        for (int i : bucket) {
            if (i >= best) {
                break;
            }
            if (patterns[i].portMatches(port)) {
                return i;
            }
        }
        return best;
    }

    private int firstAddressMatch(byte[] address, int port, int best) {
        for (int i : addresses) {
            if (i >= best) {
                break;
            }
            if (patterns[i].portMatches(port) && patterns[i].containsAddress(address)) {
                return i;
            }
        }
        return best;
    }

    private int firstNameMatch(String name, int port, int best) {
        // Walk from the full name to the last label, e.g. a.b.example.com ... com.
        for (int from = 0; from >= 0; from = nextLabel(name, from)) {
            int[] bucket = names.get(from == 0 ? name : name.substring(from));
            if (bucket != null) {
                best = firstPortMatch(bucket, port, best);
            }
        }
        return best;
    }

    private static int nextLabel(String name, int from) {
        int dot = name.indexOf('.', from);
        return dot < 0 ? -1 : dot + 1;
    }
}
