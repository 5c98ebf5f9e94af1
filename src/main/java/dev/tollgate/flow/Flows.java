package dev.tollgate.flow;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens flows and fans their events out to the sinks (the flow log; the recent-flows store and
 * metrics when the admin listener is on). Built once by the composition root.
 */
public final class Flows {
    private static final Logger LOG = LoggerFactory.getLogger(Flows.class);

    private final AtomicLong ids = new AtomicLong();
    private final FlowSink[] sinks;
    private final boolean heads;
    private volatile boolean keyLog;

    public Flows(List<FlowSink> sinks) {
        this.sinks = sinks.toArray(FlowSink[]::new);
        this.heads = sinks.stream().anyMatch(FlowSink::wantsHeads);
    }

    /** A new flow for a client ({@code host:port}); nothing is told to the sinks yet. */
    public Flow open(String client) {
        return new Flow(this, ids.incrementAndGet(), client);
    }

    /**
     * Marks every flow from now on {@code keylog=on}: the TLS key log is written. Called by the
     * composition root before the first flow, so nobody reading flows forgets the log is on.
     */
    public void markKeyLog() {
        keyLog = true;
    }

    boolean keyLog() {
        return keyLog;
    }

    /** Some sink wants running flows now (a live viewer is connected): asked per event, it may change. */
    boolean wantsProgress() {
        for (FlowSink s : sinks) {
            if (s.wantsProgress()) {
                return true;
            }
        }
        return false;
    }

    boolean wantsHeads() {
        return heads;
    }

    void started(Flow flow) {
        FlowRecord r = flow.snapshot();
        for (FlowSink s : sinks) {
            if (s.wantsProgress()) {
                deliver(s, r, Event.STARTED);
            }
        }
    }

    void updated(Flow flow) {
        FlowRecord r = flow.snapshot();
        for (FlowSink s : sinks) {
            if (s.wantsProgress()) {
                deliver(s, r, Event.UPDATED);
            }
        }
    }

    void ended(Flow flow) {
        FlowRecord r = flow.snapshot();
        for (FlowSink s : sinks) {
            deliver(s, r, Event.ENDED);
        }
    }

    private enum Event {
        STARTED,
        UPDATED,
        ENDED
    }

    /** A failing sink loses its own event, never the exchange or the other sinks' events. */
    private static void deliver(FlowSink sink, FlowRecord r, Event e) {
        try {
            switch (e) {
                case STARTED -> sink.started(r);
                case UPDATED -> sink.updated(r);
                case ENDED -> sink.ended(r);
            }
        } catch (RuntimeException ex) {
            LOG.warn("flow sink {} failed on flow {}: {}", sink.getClass().getSimpleName(), r.id(), ex.toString());
        }
    }
}
