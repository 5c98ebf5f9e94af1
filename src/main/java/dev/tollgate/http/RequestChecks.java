package dev.tollgate.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Checks the decoder leaves to us, so that the origin only ever sees one unambiguous request.
 * Netty's strict decoder already rejects Content-Length with Transfer-Encoding, differing or
 * listed Content-Lengths, chunked not last or repeated, bad chunk sizes, CR/LF/NUL in values
 * and invalid names; obs-fold it replaces with a space, which RFC 9112 §5.2 allows a proxy.
 */
final class RequestChecks {
    /** Why a request is refused: status and reason for the body. */
    record Refusal(int status, String reason) {}

    private RequestChecks() {}

    /** @return null when the request may go on */
    static Refusal check(HttpRequest request, int maxHeaderCount) {
        Refusal version = version(request);
        if (version != null) {
            return version;
        }
        HttpHeaders h = request.headers();
        if (h.size() > maxHeaderCount) {
            return new Refusal(431, "more than " + maxHeaderCount + " header fields");
        }
        List<String> hosts = h.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return new Refusal(400, "more than one Host header (RFC 9112 §3.2)");
        }
        List<String> codings = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && !(codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            // a coding we cannot undo (gzip, …) before chunked: we could not frame the body for the next hop
            return new Refusal(
                    501, "transfer coding \"" + String.join(", ", codings) + "\" is not supported (only chunked)");
        }
        return null;
    }

    /**
     * The decoder takes any {@code HTTP/x.y}; relaying one we do not speak would tell the origin
     * a version the proxy cannot honour (RFC 9110 §15.6.6). The HTTP/2 preface parses as the
     * request {@code PRI * HTTP/2.0}: a client with prior knowledge of h2c gets told what this
     * port speaks instead of waiting for a SETTINGS frame that never comes.
     */
    private static Refusal version(HttpRequest request) {
        HttpVersion v = request.protocolVersion();
        if (v.equals(HttpVersion.HTTP_1_1) || v.equals(HttpVersion.HTTP_1_0)) {
            return null;
        }
        if (request.method().name().equals("PRI") && v.majorVersion() == 2) {
            return new Refusal(
                    505,
                    "the HTTP/2 preface (prior knowledge, h2c) is not supported: this port speaks"
                            + " HTTP/1.1; send HTTP/1.1, or HTTPS through CONNECT");
        }
        return new Refusal(
                505,
                "HTTP version \"" + v.text() + "\" is not supported: this proxy speaks HTTP/1.1" + " and HTTP/1.0");
    }
}
