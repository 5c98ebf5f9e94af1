package dev.tollgate.upstream;

import io.netty.handler.codec.http.HttpObject;

/** The exchange currently using an upstream HTTP connection hears what happens on it. */
public interface UpstreamListener {
    /** A decoded response part; the listener owns (and must release) it. */
    void onResponse(HttpObject msg);

    /** The last read burst ended: the moment to decide whether to read more. */
    void onReadComplete();

    void onWritabilityChanged(boolean writable);

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void onClosed(Throwable cause);
}
