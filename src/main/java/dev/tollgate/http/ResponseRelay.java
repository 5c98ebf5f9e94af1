package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The response half of an exchange: cleans the head, picks the framing the client can use
 * (a close-delimited upstream body is re-chunked for an HTTP/1.1 client so its connection
 * stays open), passes interim 1xx answers through, and says when the response is over.
 */
final class ResponseRelay {
    enum Step {
        CONTINUE,
        COMPLETE,
        SWITCHED
    }

    private final ExchangeStage front;
    private final Flow flow;
    private final HttpMethod method;
    private final HttpVersion clientVersion;
    private final String via;
    private boolean clientKeepAlive;
    private boolean upstreamKeepAlive;
    private boolean started;
    private boolean interim;
    private boolean switching;
    private boolean complete;

    ResponseRelay(ExchangeStage front, Flow flow, HttpRequest clientRequest, boolean clientKeepAlive, String via) {
        this.front = front;
        this.flow = flow;
        this.method = clientRequest.method();
        this.clientVersion = clientRequest.protocolVersion();
        this.clientKeepAlive = clientKeepAlive;
        this.via = via;
    }

    Step relay(HttpObject msg, boolean upgradeRequested) {
        if (msg instanceof HttpResponse r) {
            head(r, upgradeRequested);
            if (switching) {
                // Switch at the head: whatever follows is the new protocol, whether or not the
                // decoder sees a body (it takes a 101 without Sec-WebSocket-Accept for Hixie-76).
                return Step.SWITCHED;
            }
        }
        if (!(msg instanceof HttpContent c)) {
            return Step.CONTINUE;
        }
        flow.addBytesDown(c.content().readableBytes());
        if (flow.capturing()) {
            flow.captureDown(c.content().nioBuffer());
        }
        front.write(c);
        if (!(c instanceof LastHttpContent)) {
            return Step.CONTINUE;
        }
        if (interim) {
            interim = false;
            return Step.CONTINUE;
        }
        complete = true;
        return Step.COMPLETE;
    }

    private void head(HttpResponse r, boolean upgradeRequested) {
        int code = r.status().code();
        interim = code >= 100 && code < 200 && code != 101;
        if (interim) {
            HeaderHygiene.clean(r, via);
            front.write(r);
            return;
        }
        started = true;
        switching = code == 101 && upgradeRequested;
        flow.response(code, r.headers());
        boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r) || bodyless(code);
        upstreamKeepAlive = HttpUtil.isKeepAlive(r) && framed;
        HeaderHygiene.clean(r, via);
        if (!clientVersion.equals(HttpVersion.HTTP_1_1) && HttpUtil.isTransferEncodingChunked(r)) {
            // an HTTP/1.0 client knows no chunks: send the body raw and mark its end by closing
            r.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            clientKeepAlive = false;
        } else if (!framed) {
            if (clientVersion.equals(HttpVersion.HTTP_1_1)) {
                r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                clientKeepAlive = false;
            }
        }
        if (!switching) {
            if (!clientKeepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (!clientVersion.isKeepAliveDefault()) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        front.write(r);
    }

    private boolean bodyless(int code) {
        return method.equals(HttpMethod.HEAD) || code == 101 || code == 204 || code == 304;
    }

    boolean started() {
        return started;
    }

    boolean complete() {
        return complete;
    }

    boolean upstreamKeepAlive() {
        return upstreamKeepAlive;
    }

    boolean clientKeepAlive() {
        return clientKeepAlive;
    }
}
