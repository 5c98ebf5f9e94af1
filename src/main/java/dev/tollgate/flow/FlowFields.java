package dev.tollgate.flow;

import java.util.function.BiConsumer;

/** The structured fields of a flow, in one place so every sink names them the same way. */
final class FlowFields {
    private FlowFields() {}

    static void each(Flow f, BiConsumer<String, Object> sink) {
        sink.accept("client", f.client());
        putIfPresent(sink, "method", f.method());
        putIfPresent(sink, "url", f.url());
        putIfPresent(sink, "mode", f.mode());
        putIfPresent(sink, "upstream", f.upstream());
        if (f.status() > 0) {
            sink.accept("status", f.status());
        }
        sink.accept("bytesUp", f.bytesUp());
        sink.accept("bytesDown", f.bytesDown());
        sink.accept("durationMs", f.durationMillis());
        putIfPresent(sink, "error", f.error());
        TlsFacts t = f.tls();
        putIfPresent(sink, "sni", t.sni());
        putIfPresent(sink, "clientTls", join(t.clientProtocol(), t.clientCipher()));
        putIfPresent(sink, "alpn", t.alpn());
        putIfPresent(sink, "upstreamTls", join(t.upstreamProtocol(), t.upstreamCipher()));
        putIfPresent(sink, "upstreamCert", t.upstreamSubject());
        putIfPresent(sink, "verifyError", t.verifyError());
        if (t.upstreamUnverified()) {
            sink.accept("upstreamVerify", "off");
        }
    }

    private static void putIfPresent(BiConsumer<String, Object> sink, String key, Object value) {
        if (value != null) {
            sink.accept(key, value);
        }
    }

    private static String join(String protocol, String cipher) {
        if (protocol == null) {
            return null;
        }
        return cipher == null ? protocol : protocol + " " + cipher;
    }
}
