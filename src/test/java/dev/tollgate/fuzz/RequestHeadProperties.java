package dev.tollgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.http.HeadPathAccess;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the request-head path the proxy runs on every request: mutated request heads through
 * the real decoder, then the proxy's own target parsing and request checks. Whatever the bytes,
 * the outcome is a request the proxy understands or a refusal with a reason, never an exception.
 */
class RequestHeadProperties {
    private static final String[] PARTS = {
        "GET",
        "CONNECT",
        "POST",
        " ",
        "http://",
        "https://",
        "ftp://",
        "example.com",
        "[::1]",
        ":8080",
        ":0",
        ":99999",
        "/path?a=b",
        "#frag",
        " HTTP/1.1",
        " HTTP/1.0",
        "\r\n",
        "\n",
        "Host: x",
        "Transfer-Encoding: chunked",
        "Transfer-Encoding: gzip, chunked",
        "Content-Length: 5",
        "Content-Length: -1",
        "X: a\u0000b",
        " folded",
        ":",
        "user:pw@",
        "%00",
        "\t",
        "0\r\n\r\n",
        "hello",
    };

    @Provide
    Arbitrary<String> heads() {
        return Arbitraries.of(PARTS).list().ofMaxSize(16).map(l -> String.join("", l));
    }

    @Property
    void decoderAndProxyChecksNeverThrow(@ForAll("heads") String head) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(1024, 2048, 8192));
        try {
            ch.writeInbound(Unpooled.copiedBuffer(head + "\r\n\r\n", StandardCharsets.ISO_8859_1));
            for (Object m; (m = ch.readInbound()) != null; ) {
                if (m instanceof HttpRequest r && r.decoderResult().isSuccess()) {
                    assertThat(HeadPathAccess.outcome(r)).isNotBlank();
                }
                assertThat(m).isInstanceOf(HttpObject.class);
                ReferenceCountUtil.release(m);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
