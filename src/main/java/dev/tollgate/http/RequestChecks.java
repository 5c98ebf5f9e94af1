package dev.tollgate.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
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
            return new Refusal(501, "transfer coding \"" + String.join(", ", codings) + "\" is not supported (only chunked)");
        }
        return null;
    }
}
