package dev.tollgate.net;

/**
 * Fired down every client pipeline at shutdown: idle connections close now, busy ones close
 * when their exchange ends.
 */
public final class Drain {
    public static final Drain EVENT = new Drain();

    private Drain() {}
}
