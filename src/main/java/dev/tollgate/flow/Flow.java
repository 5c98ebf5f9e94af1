package dev.tollgate.flow;

import java.time.Instant;

/**
 * One exchange through the proxy: a plain request, an intercepted request, or a whole tunnel.
 *
 * <p>Mutable on purpose: the fields fill in as the exchange progresses on one event loop, and
 * the record is handed to {@link FlowLog} exactly once when it ends. Confining a flow to its
 * channel's event loop is what makes plain fields safe here.
 */
public final class Flow {
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final String client;
    private String method;
    private String url;
    private String mode;
    private String upstream;
    private int status;
    private long bytesUp;
    private long bytesDown;
    private String error;
    private final TlsFacts tls = new TlsFacts();
    private long durationMillis = -1;

    public Flow(String client) {
        this.client = client;
    }

    /** The URL is stored with credential-bearing query values already masked ({@link UrlRedaction}). */
    public Flow request(String method, String url) {
        this.method = method;
        this.url = url == null ? null : UrlRedaction.redact(url);
        return this;
    }

    public Flow mode(String mode) {
        this.mode = mode;
        return this;
    }

    public Flow upstream(String upstream) {
        this.upstream = upstream;
        return this;
    }

    public Flow status(int status) {
        this.status = status;
        return this;
    }

    /** Keeps the first error: later ones are usually consequences of it. */
    public Flow error(String error) {
        if (this.error == null) {
            this.error = error;
        }
        return this;
    }

    public void addBytesUp(long n) {
        bytesUp += n;
    }

    public void addBytesDown(long n) {
        bytesDown += n;
    }

    /** Freezes the duration; called once, by {@link FlowLog}. */
    void finish() {
        if (durationMillis < 0) {
            durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    public Instant start() { return start; }
    public String client() { return client; }
    public String method() { return method; }
    public String url() { return url; }
    public String mode() { return mode; }
    public String upstream() { return upstream; }
    public int status() { return status; }
    public long bytesUp() { return bytesUp; }
    public long bytesDown() { return bytesDown; }
    public String error() { return error; }
    public TlsFacts tls() { return tls; }
    public long durationMillis() { return durationMillis; }
}
