package dev.tollgate.http2;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;

/**
 * Makes an HTTP/2 stream look like one HTTP/1.1 exchange to the exchange code, which streams
 * a head and then body parts: a message Netty decodes whole (HEADERS with END_STREAM) is split
 * into its head and a last part carrying its trailers, Netty's {@code x-http2-*} bookkeeping
 * headers never travel on, and an interim 1xx head from an HTTP/1.1 origin (a head, then an
 * empty end) leaves as the single HEADERS frame HTTP/2 wants.
 *
 * <p>Outbound, a head waits for the next write or flush: followed at once by an empty end, it
 * leaves as one HEADERS frame with END_STREAM. gRPC's "trailers-only" answer (its status in
 * the only HEADERS frame) must stay that shape, or the client finds no status where it looks.
 */
public final class StreamMessages extends ChannelDuplexHandler {
    private static final CharSequence[] BOOKKEEPING = {
        ExtensionHeaderNames.STREAM_ID.text(),
        ExtensionHeaderNames.SCHEME.text(),
        ExtensionHeaderNames.PATH.text(),
        ExtensionHeaderNames.STREAM_PROMISE_ID.text(),
        ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
        ExtensionHeaderNames.STREAM_WEIGHT.text(),
        ExtensionHeaderNames.PROTOCOL.text(),
    };

    private boolean interimEndPending;
    private HttpMessage heldHead;
    private ChannelPromise heldPromise;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpMessage m) {
            strip(m.headers());
        }
        if (msg instanceof FullHttpMessage full) {
            ctx.fireChannelRead(head(full));
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static HttpMessage head(FullHttpMessage full) {
        if (full instanceof FullHttpRequest r) {
            return new DefaultHttpRequest(r.protocolVersion(), r.method(), r.uri(), r.headers());
        }
        FullHttpResponse r = (FullHttpResponse) full;
        return new DefaultHttpResponse(r.protocolVersion(), r.status(), r.headers());
    }

    private static void strip(HttpHeaders headers) {
        for (CharSequence name : BOOKKEEPING) {
            headers.remove(name);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (heldHead != null) {
            HttpMessage head = heldHead;
            heldHead = null;
            if (msg instanceof LastHttpContent last && !last.content().isReadable()) {
                FullHttpMessage whole = whole(head, last.trailingHeaders());
                last.release();
                ctx.write(whole).addListener(new PromiseNotifier<>(false, heldPromise, promise));
                return;
            }
            ctx.write(head, heldPromise);
        }
        if (msg instanceof HttpMessage m
                && !(msg instanceof FullHttpMessage)
                && !(m instanceof HttpResponse r && interim(r))) {
            heldHead = m;
            heldPromise = promise;
            return;
        }
        if (interimEndPending && msg instanceof LastHttpContent last) {
            interimEndPending = false;
            ReferenceCountUtil.release(last); // an interim response has no body: its end is the HEADERS frame
            promise.trySuccess();
            return;
        }
        if (msg instanceof HttpResponse r && !(msg instanceof FullHttpResponse) && interim(r)) {
            interimEndPending = true;
            ctx.write(
                    new DefaultFullHttpResponse(
                            r.protocolVersion(),
                            r.status(),
                            Unpooled.EMPTY_BUFFER,
                            r.headers(),
                            EmptyHttpHeaders.INSTANCE),
                    promise);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            ctx.write(heldHead, heldPromise);
            heldHead = null;
        }
        ctx.flush();
    }

    private static FullHttpMessage whole(HttpMessage head, HttpHeaders trailers) {
        if (head instanceof HttpRequest r) {
            return new DefaultFullHttpRequest(
                    r.protocolVersion(), r.method(), r.uri(), Unpooled.EMPTY_BUFFER, r.headers(), trailers);
        }
        HttpResponse r = (HttpResponse) head;
        return new DefaultFullHttpResponse(
                r.protocolVersion(), r.status(), Unpooled.EMPTY_BUFFER, r.headers(), trailers);
    }

    private static boolean interim(HttpResponse r) {
        return r.status().codeClass() == HttpStatusClass.INFORMATIONAL
                && r.status().code() != 101;
    }
}
