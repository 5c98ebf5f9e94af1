package dev.tollgate.flow;

/**
 * A sink that wants the newest snapshot of each running flow, whatever the event (a store, a
 * live view): every event replaces what it had for that flow's id.
 */
public interface LatestFlowSink extends FlowSink {
    void latest(FlowRecord flow);

    @Override
    default void started(FlowRecord flow) {
        latest(flow);
    }

    @Override
    default void updated(FlowRecord flow) {
        latest(flow);
    }

    @Override
    default void ended(FlowRecord flow) {
        latest(flow);
    }

    @Override
    default boolean wantsProgress() {
        return true;
    }

    @Override
    default boolean wantsHeads() {
        return true;
    }
}
