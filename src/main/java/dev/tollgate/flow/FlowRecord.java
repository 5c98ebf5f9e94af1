package dev.tollgate.flow;

import java.time.Instant;

/**
 * An immutable snapshot of one flow (an exchange, one HTTP/2 stream, or a whole tunnel) as a
 * sink sees it: safe to keep and to read from any thread. Secrets are already gone: header
 * values that carry credentials are redacted, the URL has no userinfo and masked credential
 * parameters.
 *
 * @param id unique within this process, increasing in the order flows were opened
 * @param method null for a flow that ended before its request was known
 * @param clientVersion the HTTP version on the client leg (HTTP/1.0, HTTP/1.1, HTTP/2), or null
 * @param upstreamVersion the HTTP version on the upstream leg, or null when nothing was sent
 * @param streamId the HTTP/2 stream on the client leg, 0 for HTTP/1
 * @param status 0 until a status is known
 * @param requestBody null unless body capture is on for this flow
 * @param durationMillis -1 while the flow runs
 * @param noProxyAdvice the noProxy entry an in-cluster target lacks (see {@code InClusterNames}), or null
 * @param keyLog the TLS key log was on ({@code --tls-keylog}): this flow's secrets may be on disk
 * @param via {@code transparent} for a connection redirected to the transparent listener, else null
 */
public record FlowRecord(
        long id,
        Instant start,
        String client,
        String method,
        String url,
        FlowMode mode,
        String upstream,
        int status,
        long bytesUp,
        long bytesDown,
        String error,
        TlsFacts tls,
        String clientVersion,
        String upstreamVersion,
        int streamId,
        FlowHeaders requestHeaders,
        FlowHeaders responseHeaders,
        FlowTimings timings,
        CapturedBody requestBody,
        CapturedBody responseBody,
        long durationMillis,
        boolean keyLog,
        String noProxyAdvice,
        String via) {

    public boolean ended() {
        return durationMillis >= 0;
    }

    /** Roughly the bytes this snapshot holds, for a store bounded in memory. */
    public long weight() {
        long w = 320 + 2L * (length(client) + length(method) + length(url) + length(upstream) + length(error));
        w += requestHeaders.weight() + responseHeaders.weight();
        w += requestBody == null ? 0 : 16 + requestBody.head().length;
        w += responseBody == null ? 0 : 16 + responseBody.head().length;
        return w;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
