package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import dev.tollgate.route.Hop;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Where the requests of one HTTP/1.1 connection go: on the proxy port each request names its
 * target and is routed on its own ({@link ProxyPortRouting}); inside an intercepted CONNECT
 * every request goes where the CONNECT went ({@link InterceptedRouting}). The forwarding stage
 * runs exchanges the same way for both.
 */
public interface RequestRouting {

    /** What to do with one request; notes the URL and mode on {@code flow}. */
    Route route(Channel client, HttpRequest request, Flow flow);

    /** The connection closed before a single request: log what that means here, if anything. */
    void closedWithoutRequest(Channel client);

    /** The outcome of routing one request. */
    sealed interface Route {
        /** Answered by the proxy with this status and reason, and the connection closed. */
        record Refuse(int status, String reason) implements Route {}

        /** Addressed to the proxy itself: the home page. */
        record Local() implements Route {}

        /** Relayed to {@code target} over {@code hop}. */
        record Relay(RequestTarget target, Hop hop) implements Route {}
    }
}
