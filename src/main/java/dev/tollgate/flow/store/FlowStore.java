package dev.tollgate.flow.store;

import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.LatestFlowSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The recent flows the viewer shows, bounded twice: by count and by the bytes the snapshots
 * hold (headers and captured bodies included), so a burst of large captured bodies cannot grow
 * the heap past {@code maxBytes} the way mitmweb's unbounded list does. The oldest flows go
 * first. Running flows are kept and replaced by each newer snapshot of themselves.
 */
public final class FlowStore implements LatestFlowSink {
    /**
     * Charged on top of {@link FlowRecord#weight()}: the TreeMap entry and its boxed key, and the
     * small objects every snapshot holds that its weight leaves out (timings, TLS facts, the start
     * instant, body and header wrappers, short header strings). Measured in a running proxy: with
     * it, 30,000 flows through a 16 MiB store retained 15.5 MiB of heap after full GCs (README).
     */
    static final long ENTRY_OVERHEAD = 512;

    private final int maxFlows;
    private final long maxBytes;
    private final BooleanSupplier whileWatched;
    private final TreeMap<Long, FlowRecord> flows = new TreeMap<>();
    private long bytes;
    private long evicted;

    public FlowStore(int maxFlows, long maxBytes) {
        this(maxFlows, maxBytes, () -> true);
    }

    /**
     * @param whileWatched whether running flows are wanted now: a store behind a live viewer keeps
     *     them only while one is connected (the viewer shows them; the API lists flows once ended
     *     otherwise), since snapshotting every flow three times costs the proxy a third of its
     *     per-request time at tens of thousands of flows a second
     */
    public FlowStore(int maxFlows, long maxBytes, BooleanSupplier whileWatched) {
        this.maxFlows = maxFlows;
        this.maxBytes = maxBytes;
        this.whileWatched = whileWatched;
    }

    @Override
    public boolean wantsProgress() {
        return whileWatched.getAsBoolean();
    }

    @Override
    public void latest(FlowRecord flow) {
        put(flow);
    }

    private synchronized void put(FlowRecord flow) {
        if (!flows.isEmpty() && flow.id() < flows.firstKey() && full()) {
            return; // a straggler older than everything kept: it would be evicted at once
        }
        FlowRecord old = flows.put(flow.id(), flow);
        bytes += weight(flow) - (old == null ? 0 : weight(old));
        while (!flows.isEmpty() && (flows.size() > maxFlows || bytes > maxBytes)) {
            bytes -= weight(flows.pollFirstEntry().getValue());
            evicted++;
        }
    }

    private boolean full() {
        return flows.size() >= maxFlows || bytes >= maxBytes;
    }

    static long weight(FlowRecord flow) {
        return flow.weight() + ENTRY_OVERHEAD;
    }

    public synchronized FlowRecord get(long id) {
        return flows.get(id);
    }

    /**
     * The newest flows that pass {@code filter}, newest first.
     *
     * @param beforeId only flows opened before this one (paging back); 0 = from the newest
     */
    public synchronized List<FlowRecord> newest(Predicate<FlowRecord> filter, int limit, long beforeId) {
        List<FlowRecord> out = new ArrayList<>(Math.min(limit, flows.size()));
        Map<Long, FlowRecord> view =
                beforeId > 0 ? flows.headMap(beforeId, false).descendingMap() : flows.descendingMap();
        for (FlowRecord f : view.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (filter.test(f)) {
                out.add(f);
            }
        }
        return out;
    }

    public synchronized int size() {
        return flows.size();
    }

    /** The estimated bytes held now; never above the configured bound once a put returns. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long evicted() {
        return evicted;
    }
}
