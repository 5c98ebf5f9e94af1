package dev.tollgate.flow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sink that keeps every event it gets, as a flow viewer would see them: {@link #events} as
 * "kind status bytesDown", {@link #records} the snapshots in the same order.
 */
public final class RecordingSink implements FlowSink {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<FlowRecord> records = new CopyOnWriteArrayList<>();
    private final boolean progress;

    /** @param progress whether it asks for started and updated events and shows heads, as a viewer does */
    public RecordingSink(boolean progress) {
        this.progress = progress;
    }

    @Override
    public void started(FlowRecord f) {
        add("started", f);
    }

    @Override
    public void updated(FlowRecord f) {
        add("updated", f);
    }

    @Override
    public void ended(FlowRecord f) {
        add("ended", f);
    }

    @Override
    public boolean wantsProgress() {
        return progress;
    }

    @Override
    public boolean wantsHeads() {
        return progress;
    }

    private void add(String kind, FlowRecord f) {
        events.add(kind + " " + f.status() + " " + f.bytesDown());
        records.add(f);
    }
}
