package dev.tollgate.bench;

import dev.tollgate.policy.NoProxyList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** NoProxyList.matches over 200 entries: exact names, suffixes, IPs and CIDRs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NoProxyBench {
    @Param({"exact-hit", "suffix-hit", "ip-hit", "cidr-hit", "ipv6-cidr-hit", "name-miss", "ip-miss"})
    public String target;

    private NoProxyList list;
    private String host;

    @Setup
    public void setUp() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add("svc" + i + ".internal.example");            // exact
            entries.add(".team" + i + ".corp.example");                // suffix
            entries.add("192.0.2." + (i + 1));                          // IP
            entries.add("10." + i + ".0.0/16");                         // CIDR
        }
        entries.set(199, "fd00:" + Integer.toHexString(49) + "::/32"); // one IPv6 CIDR
        list = NoProxyList.parse(entries);
        host = switch (target) {
            case "exact-hit" -> "svc49.internal.example";
            case "suffix-hit" -> "deep.api.team49.corp.example";
            case "ip-hit" -> "192.0.2.50";
            case "cidr-hit" -> "10.48.7.9";
            case "ipv6-cidr-hit" -> "fd00:31::1";
            case "name-miss" -> "www.elsewhere.example";
            case "ip-miss" -> "203.0.113.9";
            default -> throw new IllegalArgumentException(target);
        };
        if (list.matches(host, 443) == target.endsWith("miss")) {
            throw new IllegalStateException(target + ": " + host + " does not behave as named");
        }
    }

    @Benchmark
    public boolean matches() {
        return list.matches(host, 443);
    }
}
