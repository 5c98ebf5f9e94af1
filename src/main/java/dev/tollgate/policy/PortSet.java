package dev.tollgate.policy;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The destination ports egress may use, e.g. {@code 443,8443}. Kept in the order given so the
 * denial message lists them as the operator wrote them.
 */
final class PortSet {
    private final int[] ports;
    private final String text;

    private PortSet(Set<Integer> ports) {
        this.ports = ports.stream().mapToInt(Integer::intValue).sorted().toArray();
        this.text = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Rejects an empty list: "no port at all" is far more likely a config slip than a wish. */
    static PortSet of(List<Integer> ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("allowed ports must not be empty; leave them unset to allow any port");
        }
        Set<Integer> unique = new LinkedHashSet<>();
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("allowed port " + port + " is not in 1..65535");
            }
            unique.add(port);
        }
        return new PortSet(unique);
    }

    boolean contains(int port) {
        return Arrays.binarySearch(ports, port) >= 0;
    }

    /** Comma-joined, e.g. {@code 443,8443}. */
    @Override
    public String toString() {
        return text;
    }
}
