package dev.tollgate.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadGateTest {

    /** Records each message and asks for the next one from inside the callback, as the front end does. */
    static final class Reader extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();
        boolean readAgain = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add(
                    msg instanceof HttpRequest r
                            ? r.method() + " " + r.uri()
                            : msg instanceof HttpContent c
                                    ? "content " + c.content().readableBytes()
                                    : msg.toString());
            ReferenceCountUtil.release(msg);
            if (readAgain) {
                ctx.read();
            }
        }
    }

    private static EmbeddedChannel channel(Reader reader) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new HttpServerCodec(), new ReadGate(16), reader);
        ch.read();
        return ch;
    }

    private static void in(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
    }

    @Test
    void aReadFromInsideTheCallbackStillGetsTheNextRequestAndItsBody() {
        // The exact sequence that stalled Netty's FlowControlHandler: a request ends inside the
        // callback of its last part, the handler reads again, and the next body comes later.
        Reader reader = new Reader();
        EmbeddedChannel ch = channel(reader);
        in(ch, "GET /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        in(ch, "POST /b HTTP/1.1\r\nContent-Length: 9\r\n\r\n");
        in(ch, "body-POST");
        assertThat(reader.seen).containsExactly("GET /a", "content 0", "POST /b", "content 9");
        ch.finishAndReleaseAll();
    }

    @Test
    void holdsMessagesUntilAsked() {
        Reader reader = new Reader();
        reader.readAgain = false;
        EmbeddedChannel ch = channel(reader);
        in(ch, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        assertThat(reader.seen).containsExactly("GET /a");
        ch.read();
        assertThat(reader.seen).containsExactly("GET /a", "content 0");
        ch.read();
        ch.read();
        assertThat(reader.seen).containsExactly("GET /a", "content 0", "GET /b", "content 0");
        ch.finishAndReleaseAll();
    }
}
