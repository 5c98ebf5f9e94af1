package dev.tollgate.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP answers written as bytes, for the moments after a CONNECT when the HTTP codec is
 * already gone from the pipeline.
 */
public final class RawResponses {
    private RawResponses() {}

    public static ByteBuf connectEstablished(ByteBufAllocator alloc) {
        return ascii(alloc, "HTTP/1.1 200 Connection established\r\n\r\n");
    }

    public static ByteBuf error(ByteBufAllocator alloc, int status, String reason) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        String body = s.code() + " " + s.reasonPhrase() + ": " + reason + "\n";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        String head = "HTTP/1.1 " + s.code() + " " + s.reasonPhrase() + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + length + "\r\n"
                + "Connection: close\r\n\r\n";
        ByteBuf buf = alloc.buffer(head.length() + length);
        buf.writeCharSequence(head, StandardCharsets.US_ASCII);
        buf.writeCharSequence(body, StandardCharsets.UTF_8);
        return buf;
    }

    /** A whole response as HTTP/1.1 bytes; takes over {@code r}'s content. */
    public static ByteBuf encode(FullHttpResponse r) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append("\r\n");
        for (Map.Entry<String, String> h : r.headers()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        ByteBuf bytes = r.content().alloc().buffer(head.length() + r.content().readableBytes());
        bytes.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        bytes.writeBytes(r.content());
        r.release();
        return bytes;
    }

    private static ByteBuf ascii(ByteBufAllocator alloc, String s) {
        ByteBuf buf = alloc.buffer(s.length());
        buf.writeCharSequence(s, StandardCharsets.US_ASCII);
        return buf;
    }
}
