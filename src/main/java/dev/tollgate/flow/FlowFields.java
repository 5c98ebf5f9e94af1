package dev.tollgate.flow;

import java.util.function.BiConsumer;

/**
 * The structured fields of a flow, in one place so every sink names them the same way. These
 * are the JSON flow log's fields (README, "Flow log"); headers and bodies are not logged.
 */
final class FlowFields {
    private FlowFields() {}

    static void each(FlowRecord f, BiConsumer<String, Object> sink) {
        sink.accept("id", f.id());
        sink.accept("client", f.client());
        putIfPresent(sink, "method", f.method());
        putIfPresent(sink, "url", f.url());
        putIfPresent(sink, "mode", f.mode() == null ? null : f.mode().word());
        putIfPresent(sink, "upstream", f.upstream());
        if (f.status() > 0) {
            sink.accept("status", f.status());
        }
        sink.accept("bytesUp", f.bytesUp());
        sink.accept("bytesDown", f.bytesDown());
        sink.accept("durationMs", f.durationMillis());
        putIfPresent(sink, "clientHttp", f.clientVersion());
        putIfPresent(sink, "upstreamHttp", f.upstreamVersion());
        if (f.streamId() > 0) {
            sink.accept("stream", f.streamId());
        }
        putIfPresent(sink, "error", f.error());
        if (f.noProxyAdvice() != null) {
            sink.accept("advice", "noProxy:" + f.noProxyAdvice());
        }
        TlsFacts t = f.tls();
        putIfPresent(sink, "sni", t.sni());
        putIfPresent(sink, "clientTls", join(t.clientProtocol(), t.clientCipher()));
        putIfPresent(sink, "alpn", t.alpn());
        putIfPresent(sink, "upstreamTls", join(t.upstreamProtocol(), t.upstreamCipher()));
        putIfPresent(sink, "upstreamAlpn", t.upstreamAlpn());
        putIfPresent(sink, "upstreamCert", t.upstreamSubject());
        putIfPresent(sink, "verifyError", t.verifyError());
        if (t.upstreamUnverified()) {
            sink.accept("upstreamVerify", "off");
        }
        if (f.keyLog()) {
            sink.accept("keylog", "on");
        }
        if (f.timings().firstByte() >= 0) {
            sink.accept("firstByteMs", f.timings().firstByte() / 1000.0);
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
