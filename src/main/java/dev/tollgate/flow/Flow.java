package dev.tollgate.flow;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * The recorder of one running flow: an exchange, one HTTP/2 stream, or a whole tunnel.
 *
 * <p>Mutable on purpose and confined to its channel's event loop, which is what makes plain
 * fields safe: the code that runs the flow fills it in as things happen, and at three moments
 * it hands an immutable {@link FlowRecord} to the sinks: {@link #started()} (the request is
 * known), {@link #response} (the response head arrived) and {@link #end()} (exactly once).
 */
public final class Flow {
    private final Flows sinks;
    private final long id;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final String client;
    private final TlsRecorder tls = new TlsRecorder();
    private String method;
    private String url;
    private FlowMode mode;
    private String upstream;
    private int status;
    private long bytesUp;
    private long bytesDown;
    private String error;
    private String clientVersion;
    private String upstreamVersion;
    private int streamId;
    private FlowHeaders requestHeaders = FlowHeaders.NONE;
    private FlowHeaders responseHeaders = FlowHeaders.NONE;
    private long dnsMicros = -1;
    private long connectMicros = -1;
    private long upstreamTlsMicros = -1;
    private long clientTlsMicros = -1;
    private long firstByteMicros = -1;
    private BodyCapture requestBody;
    private BodyCapture responseBody;
    private boolean started;
    private long durationMillis = -1;
    private String noProxyAdvice;
    private String via;

    Flow(Flows sinks, long id, String client) {
        this.sinks = sinks;
        this.id = id;
        this.client = client;
    }

    /** The URL is stored with credentials masked ({@link UrlRedaction}). */
    public Flow request(String method, String url) {
        this.method = method;
        this.url = url == null ? null : UrlRedaction.redact(url);
        return this;
    }

    /** How the client reached the proxy when not by asking it: {@code transparent} for a redirected connection. */
    public Flow via(String via) {
        this.via = via;
        return this;
    }

    public String via() {
        return via;
    }

    public Flow mode(FlowMode mode) {
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

    /**
     * The noProxy entry this flow's target lacks: an in-cluster or private name that reached the
     * proxy and did not resolve ({@code .svc}, or a dotless name itself). Null clears nothing.
     */
    public Flow noProxyAdvice(String entry) {
        if (entry != null) {
            this.noProxyAdvice = entry;
        }
        return this;
    }

    /** Keeps the first error: later ones are usually consequences of it. */
    public Flow error(String error) {
        if (this.error == null) {
            this.error = error;
        }
        return this;
    }

    public Flow clientVersion(String version) {
        this.clientVersion = version;
        return this;
    }

    public Flow upstreamVersion(String version) {
        this.upstreamVersion = version;
        return this;
    }

    /** The HTTP/2 stream this flow is on, on the client leg. */
    public Flow streamId(int id) {
        this.streamId = id;
        return this;
    }

    /** The request head as the client sent it; copied (redacted) only when a sink shows heads. */
    public Flow requestHeaders(Iterable<Map.Entry<String, String>> headers) {
        if (sinks.wantsHeads()) {
            requestHeaders = FlowHeaders.redacted(headers);
        }
        return this;
    }

    /** The final response head arrived: status, headers, time to first byte; tells the sinks. */
    public Flow response(int status, Iterable<Map.Entry<String, String>> headers) {
        this.status = status;
        this.firstByteMicros = sinceStartMicros();
        if (sinks.wantsHeads()) {
            responseHeaders = FlowHeaders.redacted(headers);
        }
        if (started && durationMillis < 0 && sinks.wantsProgress()) {
            sinks.updated(this);
        }
        return this;
    }

    /** How long the upstream connection took to set up, per phase; negative = did not happen. */
    public Flow upstreamPhases(long dnsNanos, long connectNanos, long tlsNanos) {
        this.dnsMicros = micros(dnsNanos);
        this.connectMicros = micros(connectNanos);
        this.upstreamTlsMicros = micros(tlsNanos);
        return this;
    }

    public Flow clientTlsNanos(long nanos) {
        this.clientTlsMicros = micros(nanos);
        return this;
    }

    public void addBytesUp(long n) {
        bytesUp += n;
    }

    public void addBytesDown(long n) {
        bytesDown += n;
    }

    /** Keep up to {@code limit} bytes of each body for the viewer (the operator chose this host). */
    public void captureBodies(int limit) {
        requestBody = new BodyCapture(limit);
        responseBody = new BodyCapture(limit);
    }

    public boolean capturing() {
        return requestBody != null;
    }

    public void captureUp(ByteBuffer part) {
        if (requestBody != null) {
            requestBody.add(part);
        }
    }

    public void captureDown(ByteBuffer part) {
        if (responseBody != null) {
            responseBody.add(part);
        }
    }

    /** The exchange began; the sinks that show running flows see it now. Once. */
    public void started() {
        if (!started && durationMillis < 0) {
            started = true;
            if (sinks.wantsProgress()) {
                sinks.started(this);
            }
        }
    }

    /** The flow is over: freezes it and hands it to every sink. Later calls do nothing. */
    public void end() {
        if (durationMillis >= 0) {
            return;
        }
        durationMillis = Math.max(0, (System.nanoTime() - startNanos) / 1_000_000);
        sinks.ended(this);
    }

    public boolean ended() {
        return durationMillis >= 0;
    }

    public TlsRecorder tls() {
        return tls;
    }

    public long id() {
        return id;
    }

    public String client() {
        return client;
    }

    public FlowMode mode() {
        return mode;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    FlowRecord snapshot() {
        long total = durationMillis < 0 ? -1 : sinceStartMicros();
        return new FlowRecord(
                id,
                start,
                client,
                method,
                url,
                mode,
                upstream,
                status,
                bytesUp,
                bytesDown,
                error,
                tls.snapshot(),
                clientVersion,
                upstreamVersion,
                streamId,
                requestHeaders,
                responseHeaders,
                new FlowTimings(dnsMicros, connectMicros, upstreamTlsMicros, clientTlsMicros, firstByteMicros, total),
                requestBody == null ? null : requestBody.snapshot(),
                responseBody == null ? null : responseBody.snapshot(),
                durationMillis,
                sinks.keyLog(),
                noProxyAdvice,
                via);
    }

    private long sinceStartMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : nanos / 1_000;
    }
}
