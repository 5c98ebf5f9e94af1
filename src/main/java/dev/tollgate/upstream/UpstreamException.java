package dev.tollgate.upstream;

/**
 * Why reaching an upstream failed, sorted into what the client is told: 502 for a wrong or
 * refused upstream, 504 when it did not answer in time.
 */
public final class UpstreamException extends Exception {
    public enum Kind {
        UNKNOWN_HOST(502),
        REFUSED(502),
        UNREACHABLE(502),
        TIMEOUT(504),
        PARENT(502),
        TLS(502),
        CLOSED(502),
        PROTOCOL(502),
        DENIED(403);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;
    private final InClusterNames.Advice advice;

    public UpstreamException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    UpstreamException(Kind kind, String message, Throwable cause, InClusterNames.Advice advice) {
        super(message, cause, false, false);
        this.kind = kind;
        this.advice = advice;
    }

    /** The noProxy entry that would have kept an in-cluster name away from the proxy, or null. */
    public String noProxyAdvice() {
        return advice == null ? null : advice.entry();
    }

    public Kind kind() {
        return kind;
    }
}
