package dev.tollgate.flow;

/**
 * Where flow events go: the flow log, the recent-flows store, metrics. Called on the event loop
 * that runs the flow, so an implementation must return at once: hand the snapshot to its own
 * thread or count and return, never block or do I/O.
 */
public interface FlowSink {
    /** The exchange began (its request is known). Only called when {@link #wantsProgress()}. */
    default void started(FlowRecord flow) {}

    /** The response head arrived (status and headers known). Only called when {@link #wantsProgress()}. */
    default void updated(FlowRecord flow) {}

    /** The flow is over; called exactly once per flow, whether or not it started. */
    void ended(FlowRecord flow);

    /**
     * Whether this sink wants started and updated events now; when no sink does, those snapshots
     * are never built, so the hot path pays for them only while someone watches. Asked for every
     * flow event, from any event loop: answer from a field, at once.
     */
    default boolean wantsProgress() {
        return false;
    }

    /**
     * Whether this sink shows request and response heads (their redacted copies are made only
     * when some sink does). Asked once, when the sinks are put together.
     */
    default boolean wantsHeads() {
        return false;
    }
}
