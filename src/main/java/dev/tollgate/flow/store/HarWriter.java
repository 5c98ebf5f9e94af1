package dev.tollgate.flow.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.flow.CapturedBody;
import dev.tollgate.flow.FlowHeaders;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.FlowTimings;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Flows as a HAR 1.2 log (http://www.softwareishard.com/blog/har-12-spec/), every field the spec
 * requires present, so browsers' DevTools and HAR viewers import it. Values the proxy does not
 * know are -1 where the spec allows it; header secrets stay redacted; Tollgate's own facts go in
 * underscore fields, which the spec reserves for such extensions.
 */
public final class HarWriter {
    private final ObjectMapper mapper;
    private final String version;

    public HarWriter(ObjectMapper mapper, String version) {
        this.mapper = mapper;
        this.version = version;
    }

    /** @param flows oldest first, as HAR viewers expect */
    public byte[] write(List<FlowRecord> flows) throws JsonProcessingException {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode log = root.putObject("log");
        log.put("version", "1.2");
        log.putObject("creator").put("name", "Tollgate").put("version", version);
        ArrayNode entries = log.putArray("entries");
        for (FlowRecord f : flows) {
            entries.add(entry(f));
        }
        return mapper.writeValueAsBytes(root);
    }

    private ObjectNode entry(FlowRecord f) {
        ObjectNode e = mapper.createObjectNode();
        e.put("startedDateTime", DateTimeFormatter.ISO_INSTANT.format(f.start().truncatedTo(ChronoUnit.MILLIS)));
        ObjectNode timings = timings(f);
        double time = 0;
        for (String phase : new String[] {"blocked", "dns", "connect", "send", "wait", "receive"}) {
            time += Math.max(0, timings.get(phase).asDouble()); // ssl is part of connect in HAR
        }
        e.put("time", time);
        e.set("request", request(f));
        e.set("response", response(f));
        e.putObject("cache");
        e.set("timings", timings);
        FlowTarget t = FlowTarget.of(f);
        if (f.upstream() != null) {
            e.put("connection", f.upstream());
        }
        e.put("_id", f.id());
        e.put("_client", f.client());
        e.put("_mode", f.mode() == null ? null : f.mode().word());
        e.put("_error", f.error());
        e.put("_sni", f.tls().sni());
        e.put("_host", t == null ? null : t.authority());
        return e;
    }

    private ObjectNode request(FlowRecord f) {
        ObjectNode r = mapper.createObjectNode();
        r.put("method", f.method() == null ? "GET" : f.method());
        r.put("url", url(f));
        r.put("httpVersion", version(f.clientVersion()));
        r.putArray("cookies");
        r.set("headers", headers(f.requestHeaders()));
        r.set("queryString", query(url(f)));
        r.put("headersSize", -1);
        r.put("bodySize", f.bytesUp());
        if (f.requestBody() != null) {
            String type = f.requestHeaders().get("content-type");
            r.putObject("postData").put("mimeType", type == null ? "" : type).put("text", text(f.requestBody()));
        }
        return r;
    }

    private ObjectNode response(FlowRecord f) {
        ObjectNode r = mapper.createObjectNode();
        r.put("status", f.status());
        r.put("statusText", f.status() > 0 ? ReasonPhrases.of(f.status()) : f.error() == null ? "" : f.error());
        r.put("httpVersion", version(f.upstreamVersion() != null ? f.upstreamVersion() : f.clientVersion()));
        r.putArray("cookies");
        r.set("headers", headers(f.responseHeaders()));
        String type = f.responseHeaders().get("content-type");
        ObjectNode content = r.putObject("content");
        content.put("size", f.responseBody() != null ? f.responseBody().size() : f.bytesDown());
        content.put("mimeType", type == null ? "" : type);
        if (f.responseBody() != null) {
            CapturedBody b = f.responseBody();
            if (isUtf8(b)) {
                content.put("text", text(b));
            } else {
                content.put("text", Base64.getEncoder().encodeToString(b.head()))
                        .put("encoding", "base64");
            }
        }
        String location = f.responseHeaders().get("location");
        r.put("redirectURL", location == null ? "" : location);
        r.put("headersSize", -1);
        r.put("bodySize", f.bytesDown());
        return r;
    }

    /** Microseconds to HAR milliseconds; the phases the proxy did not see are -1 (optional ones) or 0. */
    private ObjectNode timings(FlowRecord f) {
        FlowTimings t = f.timings();
        double dns = ms(t.dns());
        double connect = ms(t.connect());
        double ssl = ms(t.upstreamTls());
        double setup = Math.max(0, dns) + Math.max(0, connect) + Math.max(0, ssl);
        double firstByte = ms(t.firstByte());
        double total = f.durationMillis() >= 0 ? f.durationMillis() : Math.max(0, firstByte);
        double wait = firstByte < 0 ? 0 : Math.max(0, firstByte - setup);
        double receive = Math.max(0, total - Math.max(setup + wait, firstByte));
        ObjectNode n = mapper.createObjectNode();
        n.put("blocked", -1);
        n.put("dns", dns);
        n.put("connect", connect < 0 ? -1 : connect + Math.max(0, ssl));
        n.put("ssl", ssl);
        n.put("send", 0);
        n.put("wait", wait);
        n.put("receive", receive);
        return n;
    }

    private static double ms(long micros) {
        return micros < 0 ? -1 : micros / 1000.0;
    }

    private ArrayNode headers(FlowHeaders h) {
        ArrayNode a = mapper.createArrayNode();
        for (Map.Entry<String, String> e : h.lines()) {
            a.addObject().put("name", e.getKey()).put("value", e.getValue());
        }
        return a;
    }

    private ArrayNode query(String url) {
        ArrayNode a = mapper.createArrayNode();
        int q = url.indexOf('?');
        if (q < 0) {
            return a;
        }
        int hash = url.indexOf('#', q);
        for (String pair : url.substring(q + 1, hash < 0 ? url.length() : hash).split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                a.addObject()
                        .put("name", eq < 0 ? pair : pair.substring(0, eq))
                        .put("value", eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return a;
    }

    /**
     * An absolute URL for every flow: a CONNECT's {@code host:port} becomes {@code https://host:port/},
     * a request to the proxy itself (origin-form) gets the Host it named, or the reserved
     * {@code tollgate.invalid}.
     */
    static String url(FlowRecord f) {
        String url = f.url();
        if (url == null || url.isEmpty()) {
            return "http://tollgate.invalid/";
        }
        if (url.startsWith("/")) {
            String host = f.requestHeaders().get("host");
            return "http://" + (host == null || host.isBlank() ? "tollgate.invalid" : host) + url;
        }
        return url.contains("://") ? url : "https://" + url + "/";
    }

    private static String version(String v) {
        return v == null ? "HTTP/1.1" : v;
    }

    private static boolean isUtf8(CapturedBody b) {
        return StandardCharsets.UTF_8
                .newDecoder()
                .decode(ByteBuffer.wrap(b.head()), CharBuffer.allocate(b.head().length), true)
                .isUnderflow();
    }

    private static String text(CapturedBody b) {
        return new String(b.head(), StandardCharsets.UTF_8);
    }
}
