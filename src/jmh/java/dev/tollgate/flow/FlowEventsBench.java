package dev.tollgate.flow;

import dev.tollgate.flow.store.FlowStore;
import dev.tollgate.flow.store.Inventory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one forwarded request's flow events cost the event loop with the admin listener's store
 * and inventory on: with a live viewer connected (three snapshots per flow) and without one (the
 * ended snapshot only), against the flow log's sink alone (admin off).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlowEventsBench {
    private static final List<Map.Entry<String, String>> REQUEST = List.of(
            Map.entry("Host", "api.example.com"),
            Map.entry("User-Agent", "bench/1.0"),
            Map.entry("Accept", "application/json"),
            Map.entry("Authorization", "Bearer abc"),
            Map.entry("X-Request-Id", "7f9c2a1e-4b3d-4e8a-9f1c-2d3e4f5a6b7c"));
    private static final List<Map.Entry<String, String>> RESPONSE = List.of(
            Map.entry("Content-Type", "application/json"),
            Map.entry("Content-Length", "1024"),
            Map.entry("Server", "nginx"),
            Map.entry("Date", "Sun, 29 Nov 2026 23:00:00 GMT"));

    /** off: the flow log alone; unwatched: store and inventory, no viewer; watched: a viewer too. */
    @Param({"off", "unwatched", "watched"})
    public String admin;

    private Flows flows;

    @Setup
    public void setup() {
        FlowSink log = flow -> {}; // the flow log's queue hand-off is not what is measured here
        boolean watched = "watched".equals(admin);
        flows = "off".equals(admin)
                ? new Flows(List.of(log))
                : new Flows(List.of(log, new FlowStore(10_000, 16L << 20, () -> watched), new Inventory(10_000)));
    }

    @Benchmark
    public Flow oneRequest() {
        Flow f = flows.open("127.0.0.1:40000")
                .request("GET", "http://api.example.com/v1/items?page=2")
                .mode(FlowMode.FORWARD)
                .clientVersion("HTTP/1.1")
                .requestHeaders(REQUEST);
        f.started();
        f.response(200, RESPONSE);
        f.addBytesDown(1024);
        f.end();
        return f;
    }
}
