package dev.tollgate.server;

import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.InterceptSession;
import io.netty.channel.ChannelPipeline;

/**
 * Runs the exchanges of an intercepted client connection for one ALPN protocol. The pipeline
 * owner picks one by the protocol the client's TLS handshake negotiated (see
 * {@link InsideConnect#established}); HTTP/1.1 is built in, other protocols (h2) are supplied to
 * {@link ProxyServer}'s constructor by the composition root's caller, keyed by ALPN id.
 *
 * <p>An installer adds its handlers with {@code client.addBefore(PipelineNames.TAIL, …)}, after
 * {@code intercept-tls}, so that the pipeline's tail stays last; names go in {@code PipelineNames}.
 */
@FunctionalInterface
public interface InterceptedExchanges {
    void install(ChannelPipeline client, InterceptSession session, HttpProxyContext context);
}
