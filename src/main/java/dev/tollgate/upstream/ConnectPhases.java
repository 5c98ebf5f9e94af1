package dev.tollgate.upstream;

import io.netty.util.AttributeKey;

/**
 * When each step of opening an upstream connection finished (System.nanoTime), kept on the
 * channel so the first exchange on it can report DNS, connect and TLS times.
 */
public final class ConnectPhases {
    static final AttributeKey<ConnectPhases> KEY = AttributeKey.valueOf("tollgate.connectPhases");

    private final long start = System.nanoTime();
    private long resolved = -1;
    private long connected = -1;
    private long ready = -1;

    void resolved() {
        resolved = System.nanoTime();
    }

    void connected() {
        connected = System.nanoTime();
    }

    void ready() {
        ready = System.nanoTime();
    }

    public long dnsNanos() {
        return resolved < 0 ? -1 : resolved - start;
    }

    public long connectNanos() {
        return connected < 0 || resolved < 0 ? -1 : connected - resolved;
    }

    /** The parent's CONNECT answer and the TLS handshake; -1 for a plain connection. */
    public long setupNanos() {
        return ready < 0 || connected < 0 || ready == connected ? -1 : ready - connected;
    }
}
