package dev.tollgate.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamMessagesTest {
    @Test
    void aWholeRequestIsSplitIntoHeadAndLastPartWithoutNettysBookkeepingHeaders() {
        EmbeddedChannel ch = new EmbeddedChannel(new StreamMessages());
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/p", Unpooled.copiedBuffer("body", StandardCharsets.UTF_8));
        full.headers()
                .set(ExtensionHeaderNames.STREAM_ID.text(), "3")
                .set(ExtensionHeaderNames.SCHEME.text(), "https")
                .set("x-real", "1");
        full.trailingHeaders().set("grpc-status", "0");
        ch.writeInbound(full);
        HttpRequest head = ch.readInbound();
        assertThat(head).isNotInstanceOf(HttpContent.class);
        assertThat(head.uri()).isEqualTo("/p");
        assertThat(head.headers().names()).containsExactly("x-real");
        LastHttpContent last = ch.readInbound();
        assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("body");
        assertThat(last.trailingHeaders().get("grpc-status")).isEqualTo("0");
        last.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aHeadFollowedAtOnceByAnEmptyEndLeavesWhole() {
        EmbeddedChannel ch = new EmbeddedChannel(new StreamMessages());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("grpc-status", "5").set("grpc-message", "missing");
        ch.write(head);
        ch.write(LastHttpContent.EMPTY_LAST_CONTENT);
        ch.flush();
        FullHttpResponse whole = ch.readOutbound();
        assertThat(whole.headers().get("grpc-status")).isEqualTo("5");
        assertThat(whole.content().isReadable()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aHeadWithABodyAndAHeadBeforeAFlushLeaveAsTheyCame() {
        EmbeddedChannel ch = new EmbeddedChannel(new StreamMessages());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ch.writeAndFlush(head); // a flush releases a held head: a slow body must not hold back the status
        assertThat((Object) ch.readOutbound()).isSameAs(head);
        ch.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)));
        HttpContent part = ch.readOutbound();
        assertThat(part.content().readableBytes()).isEqualTo(1);
        part.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anInterimHeadFromAnHttp11OriginLeavesAsOneWholeMessage() {
        EmbeddedChannel ch = new EmbeddedChannel(new StreamMessages());
        ch.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        ch.write(new DefaultLastHttpContent());
        ch.flush();
        FullHttpResponse interim = ch.readOutbound();
        assertThat(interim.status()).isEqualTo(HttpResponseStatus.CONTINUE);
        assertThat((Object) ch.readOutbound()).isNull(); // its empty end is the HEADERS frame itself
        assertThat(ch.finish()).isFalse();
    }
}
