package dev.tollgate.flow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store's memory bound, measured on the heap: 100,000 flows with captured bodies pass
 * through a store limited to 16 MiB, and the heap it retains afterwards (after full GCs) stays
 * within the limit. The flows are real recorder output (Flows, Flow), not hand-built records.
 */
class FlowStoreBoundTest {
    private static final long LIMIT = 16L << 20;
    private static final int FLOWS = 100_000;

    @Test
    void hundredThousandFlowsWithBodiesStayWithinSixteenMiB() {
        long before = usedAfterGc();
        FlowStore store = new FlowStore(1_000_000, LIMIT);
        Flows flows = new Flows(List.of(store));
        byte[] up = new byte[2048];
        byte[] down = new byte[6000];
        List<Map.Entry<String, String>> requestHead = headers(8);
        List<Map.Entry<String, String>> responseHead = headers(10);
        for (int i = 0; i < FLOWS; i++) {
            Flow f = flows.open("10.224.3." + (i % 250) + ":" + (40000 + i % 20000));
            f.request("POST", "https://api" + (i % 50) + ".example.com/v1/items/" + i + "?page=" + (i % 7))
                    .mode(FlowMode.INTERCEPT)
                    .clientVersion("HTTP/1.1")
                    .upstreamVersion("HTTP/1.1")
                    .requestHeaders(requestHead);
            f.captureBodies(4096);
            f.started();
            f.captureUp(ByteBuffer.wrap(up));
            f.addBytesUp(up.length);
            f.response(200, responseHead);
            f.captureDown(ByteBuffer.wrap(down));
            f.addBytesDown(down.length);
            f.end();
        }
        long retained = usedAfterGc() - before;
        System.out.printf(
                "FlowStoreBoundTest: %,d flows offered, %,d kept, %,d evicted, estimate %,d B, "
                        + "retained heap %,d B (limit %,d B)%n",
                FLOWS, store.size(), store.evicted(), store.bytes(), retained, LIMIT);
        assertThat(store.bytes()).isLessThanOrEqualTo(LIMIT);
        assertThat(store.size()).isBetween(1000, FLOWS - 1);
        assertThat(store.evicted()).isEqualTo(FLOWS - store.size());
        assertThat(store.get(FLOWS).responseBody().size()).isEqualTo(down.length); // the newest is kept
        assertThat(store.get(1)).isNull(); // the oldest went first
        assertThat(retained).as("heap retained by the store").isLessThanOrEqualTo(LIMIT);
        assertThat(store.size()).isPositive(); // keeps the store reachable until after the measurement
    }

    private static List<Map.Entry<String, String>> headers(int n) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            h.add(Map.entry("X-Header-" + i, "value-" + i + "-abcdefghijklmnopqrstuvwxyz"));
        }
        h.add(Map.entry("Authorization", "Bearer secret"));
        return h;
    }

    /** Heap in use after full collections, once two in a row agree within 64 KiB (or after ten). */
    private static long usedAfterGc() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(used - last) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
