package dev.tollgate.flow.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.flow.FlowHeaders;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowTimings;
import dev.tollgate.flow.TlsFacts;
import java.util.Map;

/** Flows as the viewer's JSON: a short row for the list, everything for the detail pane. */
public final class FlowJson {
    private final ObjectMapper mapper;

    public FlowJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode row(FlowRecord f) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", f.id());
        n.put("start", f.start().toEpochMilli());
        n.put("client", f.client());
        n.put("method", f.method());
        n.put("url", f.url());
        n.put("mode", f.mode() == null ? null : f.mode().word());
        n.put("status", f.status());
        n.put("version", f.clientVersion());
        n.put("bytesUp", f.bytesUp());
        n.put("bytesDown", f.bytesDown());
        n.put("durationMs", f.durationMillis());
        n.put("ended", f.ended());
        n.put("error", f.error());
        return n;
    }

    public ObjectNode detail(FlowRecord f) {
        ObjectNode n = row(f);
        n.put("upstream", f.upstream());
        if (f.via() != null) {
            n.put("via", f.via());
        }
        n.put("upstreamVersion", f.upstreamVersion());
        n.put("streamId", f.streamId());
        n.put("advice", ErrorAdvice.of(f));
        n.put("keyLog", f.keyLog());
        n.put("noProxyAdvice", f.noProxyAdvice());
        n.set("tls", tls(f.tls()));
        n.set("timings", timings(f.timings()));
        n.set("requestHeaders", headers(f.requestHeaders()));
        n.set("responseHeaders", headers(f.responseHeaders()));
        if (f.requestBody() != null) {
            n.set("requestBody", BodyView.of(f.requestBody(), f.requestHeaders().get("content-type"), mapper));
        }
        if (f.responseBody() != null) {
            n.set(
                    "responseBody",
                    BodyView.of(f.responseBody(), f.responseHeaders().get("content-type"), mapper));
        }
        return n;
    }

    private ObjectNode tls(TlsFacts t) {
        ObjectNode n = mapper.createObjectNode();
        n.put("sni", t.sni());
        n.put("clientProtocol", t.clientProtocol());
        n.put("clientCipher", t.clientCipher());
        n.put("alpn", t.alpn());
        n.put("upstreamProtocol", t.upstreamProtocol());
        n.put("upstreamCipher", t.upstreamCipher());
        n.put("upstreamAlpn", t.upstreamAlpn());
        n.put("upstreamSubject", t.upstreamSubject());
        n.put("verifyError", t.verifyError());
        n.put("upstreamUnverified", t.upstreamUnverified());
        return n;
    }

    private ObjectNode timings(FlowTimings t) {
        ObjectNode n = mapper.createObjectNode();
        n.put("dnsUs", t.dns());
        n.put("connectUs", t.connect());
        n.put("upstreamTlsUs", t.upstreamTls());
        n.put("clientTlsUs", t.clientTls());
        n.put("firstByteUs", t.firstByte());
        n.put("totalUs", t.total());
        return n;
    }

    private ArrayNode headers(FlowHeaders h) {
        ArrayNode a = mapper.createArrayNode();
        for (Map.Entry<String, String> e : h.lines()) {
            a.addArray().add(e.getKey()).add(e.getValue());
        }
        return a;
    }
}
