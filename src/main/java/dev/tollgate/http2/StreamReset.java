package dev.tollgate.http2;

import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;

/** One leg reset its HTTP/2 stream (RST_STREAM, or GOAWAY before the stream was processed). */
public final class StreamReset extends IOException {
    private final long code;

    public StreamReset(long code, String message) {
        super(message, null);
        this.code = code;
    }

    /** The HTTP/2 error code to pass on to the paired stream. */
    public long code() {
        return code;
    }

    /** {@code CANCEL (0x8)}, or the bare number for a code HTTP/2 does not define. */
    public static String describe(long code) {
        Http2Error e = Http2Error.valueOf(code);
        return (e != null ? e.name() : "error") + " (0x" + Long.toHexString(code) + ")";
    }
}
