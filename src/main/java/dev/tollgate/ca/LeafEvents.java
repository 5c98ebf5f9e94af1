package dev.tollgate.ca;

/** What the leaf cache tells an observer (metrics); called on the forging thread or the caller's. */
public interface LeafEvents {
    LeafEvents NONE = new LeafEvents() {
        @Override
        public void forged(long nanos) {}

        @Override
        public void hit() {}
    };

    /** A leaf was forged (a cache miss) in {@code nanos}. */
    void forged(long nanos);

    /** A leaf came from the cache (or from a forging another handshake had already started). */
    void hit();
}
