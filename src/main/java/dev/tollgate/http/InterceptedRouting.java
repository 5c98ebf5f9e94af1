package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import dev.tollgate.net.Channels;
import dev.tollgate.net.Via;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Requests inside an intercepted CONNECT: every one goes to the CONNECT's target over its hop,
 * keeps its own Host header, and carries the session's TLS facts in its flow. The CONNECT was
 * already admitted, so there is no access check here.
 */
public final class InterceptedRouting implements RequestRouting {
    private final InterceptSession session;
    private final Flows flows;

    public InterceptedRouting(InterceptSession session, Flows flows) {
        this.session = session;
        this.flows = flows;
    }

    @Override
    public Route route(Channel client, HttpRequest request, Flow flow) {
        if (request.method().equals(HttpMethod.CONNECT)) {
            return new Route.Refuse(400, "CONNECT inside an intercepted connection is not supported");
        }
        RequestTarget target;
        try {
            target = targetOf(request);
        } catch (IllegalArgumentException e) {
            return new Route.Refuse(400, e.getMessage());
        }
        flow.request(request.method().name(), target.absolute()).via(Via.of(client));
        session.stamp(flow);
        if (session.upstreamFailure() != null) {
            if (session.failureStatus() == 403) {
                flow.mode(FlowMode.DENY);
            }
            return new Route.Refuse(session.failureStatus(), session.upstreamFailure());
        }
        return new Route.Relay(target, session.hop());
    }

    private RequestTarget targetOf(HttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/")) {
            return RequestTarget.inside(session, uri, request.headers().get(HttpHeaderNames.HOST));
        }
        RequestTarget absolute = RequestTarget.parseAbsolute(uri);
        return RequestTarget.inside(session, absolute.originForm(), absolute.host());
    }

    /** An intercepted CONNECT whose client never sent a request inside still happened: one flow says so. */
    @Override
    public void closedWithoutRequest(Channel client) {
        Flow flow = flows.open(Channels.addressOf(client.remoteAddress()))
                .request("CONNECT", session.target().authority())
                .via(Via.of(client));
        session.stamp(flow);
        flow.error(
                session.upstreamFailure() != null
                        ? session.upstreamFailure()
                        : "the client closed the tunnel without sending a request inside it");
        flow.end();
    }
}
