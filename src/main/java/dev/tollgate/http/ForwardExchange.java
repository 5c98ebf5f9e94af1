package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.http2.StreamResets;
import dev.tollgate.route.Hop;
import dev.tollgate.upstream.ConnectPhases;
import dev.tollgate.upstream.UpstreamConnection;
import dev.tollgate.upstream.UpstreamException;
import dev.tollgate.upstream.UpstreamKey;
import dev.tollgate.upstream.UpstreamListener;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, streamed between the client and an upstream connection with
 * backpressure both ways: a body part is read from one side only while the other side can
 * take it. Runs entirely on the client's event loop (the upstream shares it).
 */
final class ForwardExchange implements UpstreamListener {
    private final ExchangeStage front;
    private final HttpProxyContext context;
    private final HttpRequest request;
    private final RequestTarget target;
    private final UpstreamKey key;
    private final Flow flow;
    private final boolean clientKeepAlive;
    private final boolean upgradeRequested;
    /** The client said {@code TE: trailers}: hop-by-hop on HTTP/1.1, but an h2 origin (gRPC) needs to hear it. */
    private final boolean teTrailers;

    private final ResponseRelay response;

    private UpstreamConnection upstream;
    private ScheduledFuture<?> firstByteTimer;
    private boolean requestDone;
    private boolean bodySent;
    private boolean finished;
    private boolean retried;

    ForwardExchange(
            ExchangeStage front,
            HttpProxyContext context,
            HttpRequest request,
            RequestTarget target,
            Hop hop,
            Flow flow) {
        this.front = front;
        this.context = context;
        this.request = request;
        this.target = target;
        this.flow = flow;
        OriginAddress address = OriginAddress.of(target.target(), hop);
        UpstreamKey upstreamKey = new UpstreamKey(address.target(), address.parent(), target.serverName());
        if (!(front.context().channel() instanceof Http2StreamChannel)) {
            // an HTTP/1.1 client's requests ride pooled HTTP/1.1 origin connections, not an h2 stream each
            upstreamKey = upstreamKey.forHttp1Client();
        }
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        flow.clientVersion(request.protocolVersion().text()).requestHeaders(request.headers());
        StreamFacts.clientLeg(flow, front.context().channel()); // a stream's head reads HTTP/1.1 after its codec
        this.teTrailers = request.headers().containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        if (context.capture() != null) {
            context.capture()
                    .apply(flow, target.target().host(), target.target().port());
        }
        this.upgradeRequested = HeaderHygiene.clean(request, context.via());
        // a protocol switch (WebSocket) needs an HTTP/1.1 connection: it cannot ride an h2 stream
        this.key = upgradeRequested ? upstreamKey.withHttp1Only() : upstreamKey;
        this.response = new ResponseRelay(front, flow, request, clientKeepAlive, context.via());
        prepareOutbound();
    }

    private void prepareOutbound() {
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        request.setUri(key.absoluteForm() ? target.absolute() : target.originForm());
        request.headers().set(HttpHeaderNames.HOST, target.host());
    }

    void start() {
        flow.started();
        Channel client = front.context().channel();
        context.upstream().lease(client.eventLoop(), key).addListener(this::onLeased);
    }

    private void onLeased(Future<? super UpstreamConnection> f) {
        if (finished) {
            if (f.isSuccess()) {
                ((UpstreamConnection) f.getNow()).channel().close();
            }
            return;
        }
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            if (cause instanceof UpstreamException u) {
                if (u.kind() == UpstreamException.Kind.TLS) {
                    flow.tls().verifyError(u.getMessage());
                } else if (u.kind() == UpstreamException.Kind.DENIED) {
                    flow.mode(FlowMode.DENY);
                }
                flow.noProxyAdvice(u.noProxyAdvice());
                fail(u.kind().status, u.getMessage());
            } else {
                fail(502, "cannot reach " + key.connectTo() + ": " + cause);
            }
            return;
        }
        upstream = (UpstreamConnection) f.getNow();
        upstream.attach(this);
        flow.upstream(upstream.remote())
                .upstreamVersion(upstream.stream() ? StreamFacts.HTTP_2 : HttpVersion.HTTP_1_1.text());
        ConnectPhases phases = upstream.freshPhases();
        if (phases != null) {
            flow.upstreamPhases(phases.dnsNanos(), phases.connectNanos(), phases.setupNanos());
        }
        UpstreamTlsFacts.record(upstream, flow);
        // a write that fails at once (a stream on a connection that just died) reports back before it
        // returns, and may already have failed or retried this exchange: then the rest is not ours
        Channel leased = upstream.channel();
        if (teTrailers && upstream.stream()) {
            request.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS); // the one TE value h2 allows
        }
        leased.write(request, leased.voidPromise());
        if (requestDone) {
            // a retry: the (empty) body was already read from the client
            leased.write(LastHttpContent.EMPTY_LAST_CONTENT, leased.voidPromise());
        }
        leased.flush();
        if (finished || upstream == null || upstream.channel() != leased) {
            return;
        }
        leased.read();
        if (requestDone) {
            armFirstByteTimer();
        }
        if (!requestDone) {
            front.readClient();
        }
    }

    /** From the end of the request (not its head: an upload may take longer) to the response head. */
    private void armFirstByteTimer() {
        long nanos = context.firstByteTimeout().toNanos();
        firstByteTimer = upstream.channel()
                .eventLoop()
                .schedule(
                        () -> {
                            if (!response.started()) {
                                failAndCloseUpstream(
                                        504,
                                        "upstream " + key.connectTo() + " did not answer within "
                                                + context.firstByteTimeout().toSeconds() + "s");
                            }
                        },
                        nanos,
                        TimeUnit.NANOSECONDS);
    }

    boolean requestComplete() {
        return requestDone;
    }

    /** A part of the request body from the client. */
    void onRequestContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            String reason =
                    "malformed request body: " + content.decoderResult().cause().getMessage();
            content.release();
            requestDone = true;
            failAndCloseUpstream(400, reason); // the origin saw a cut-off body, never a second request
            return;
        }
        flow.addBytesUp(content.content().readableBytes());
        if (flow.capturing()) {
            flow.captureUp(content.content().nioBuffer());
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestDone = true;
        }
        if (finished || upstream == null || !upstream.channel().isActive()) {
            content.release();
            return;
        }
        bodySent |= content.content().isReadable();
        Channel sentOn = upstream.channel();
        sentOn.writeAndFlush(content, sentOn.voidPromise());
        if (finished || upstream == null || upstream.channel() != sentOn) {
            return; // the write failed at once and the exchange already failed or retried (see onLeased)
        }
        if (last && !response.started()) {
            armFirstByteTimer();
        }
        if (!last && upstream.channel().isWritable()) {
            front.readClient();
        }
        if (last && response.complete()) {
            complete();
        }
    }

    @Override
    public void onResponse(HttpObject msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse && firstByteTimer != null) {
            firstByteTimer.cancel(false);
        }
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            failAndCloseUpstream(
                    502,
                    "upstream sent an invalid response: "
                            + msg.decoderResult().cause().getMessage());
            return;
        }
        ResponseRelay.Step step = response.relay(msg, upgradeRequested);
        if (step == ResponseRelay.Step.SWITCHED) {
            finished = true;
            ProtocolSwitch.join(front, upstream, flow, context.flows(), context.pipeline());
        } else if (step == ResponseRelay.Step.COMPLETE && requestDone) {
            complete();
        }
    }

    @Override
    public void onReadComplete() {
        front.flush();
        if (!finished && !response.complete() && front.clientWritable()) {
            upstream.channel().read();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (writable && !requestDone && !finished) {
            front.readClient();
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        if (writable && upstream != null && !finished && !response.complete()) {
            upstream.channel().read();
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        if (finished) {
            return;
        }
        // Only a request read whole and without a body can be sent again: nothing of it is lost.
        if (!response.started() && upstream.reused() && requestDone && !bodySent && !retried) {
            retryOnFreshConnection(); // the origin dropped an idle keep-alive connection
            return;
        }
        if (StreamResets.relay(cause, front.context().channel())) {
            flow.error("upstream " + key.connectTo() + ": " + cause.getMessage() + "; relayed to the client");
            finish(false); // the client's stream is reset with the same code when it closes
            return;
        }
        String reason = cause == null
                ? "upstream " + key.connectTo() + " closed the connection"
                : "upstream " + key.connectTo() + " failed: " + cause.getMessage();
        fail(502, response.started() ? reason + " in the middle of the response" : reason + " before answering");
    }

    private void retryOnFreshConnection() {
        retried = true;
        if (firstByteTimer != null) {
            firstByteTimer.cancel(false);
        }
        upstream = null;
        Channel client = front.context().channel();
        context.upstream().connect(client.eventLoop(), key).addListener(this::onLeased);
    }

    /** Neither side moved a byte for the client idle time: an origin stalled mid-exchange. */
    void onIdle() {
        failAndCloseUpstream(504, "no data in either direction for the idle timeout (timeouts.idleClient)");
    }

    void onClientClosed(Throwable cause) {
        if (finished) {
            return;
        }
        flow.error(cause == null ? "client closed the connection" : "client connection failed: " + cause.getMessage());
        finish(false);
        if (upstream != null) {
            StreamResets.relay(cause, upstream.channel()); // a client's reset code goes on to an h2 origin
            upstream.channel().close();
        }
    }

    /** Both request and response are done: keep both connections if they are reusable. */
    private void complete() {
        boolean reusable = response.upstreamKeepAlive() && upstream.channel().isActive();
        if (reusable) {
            context.upstream().release(upstream);
        } else {
            upstream.channel().close();
        }
        finish(response.clientKeepAlive());
    }

    private void failAndCloseUpstream(int status, String reason) {
        fail(status, reason);
        if (upstream != null) {
            upstream.channel().close();
        }
    }

    private void fail(int status, String reason) {
        if (finished) {
            return;
        }
        flow.error(reason);
        if (response.started()) {
            finish(false); // too late for a status: cut the client off so it sees the truncation
            return;
        }
        flow.status(status);
        front.write(ErrorResponses.of(front.context().alloc(), status, reason, true));
        finish(false);
    }

    private void finish(boolean keepClient) {
        finished = true;
        if (firstByteTimer != null) {
            firstByteTimer.cancel(false);
        }
        flow.end();
        front.flush();
        front.exchangeDone(keepClient && requestDone);
    }
}
