package dev.tollgate.net;

/**
 * Names of every handler the proxy puts in a pipeline, in their order from head to tail. Only
 * the pipeline owner ({@code server.PipelineOwner}) installs or removes client-side handlers;
 * the names live here because {@code http}, {@code intercept} and {@code tunnel} must find one
 * another's handlers and may not depend on {@code server}.
 *
 * <pre>
 * client connection, head to tail            present while
 * ------------------------------------------ ----------------------------------------------
 * first-bytes     FirstBytes classifier       the first bytes are awaited (proxy port, after
 *                                             TLS to the proxy, and inside a CONNECT)
 * proxy-tls       SslHandler                  the client speaks TLS to the proxy itself
 * intercept-tls   LeafSniHandler, then the    an intercepted CONNECT carries TLS
 *                 SslHandler with the leaf
 * handshake-watch HandshakeWatch              the client's handshake with the leaf runs
 * head-timer      RequestHeadTimer            HTTP/1.1 (these five are the HTTP/1.1 stages,
 * http-codec      HttpServerCodec               installed and stripped together)
 * read-gate       ReadGate
 * idle            IdleStateHandler            HTTP/1.1 (a blind relay has one RelayIdle timer instead)
 * access          AccessStage                 HTTP/1.1 on the proxy port (not inside a CONNECT)
 * host-check      RedirectedHostCheck         plain HTTP/1.1 on a redirected (transparent) connection
 * exchanges       ExchangeStage               HTTP/1.1
 * relay           Relay                       a blind relay (tunnel, 101 switch)
 * tail            PipelineTail                always: the last handler of every client pipeline
 *
 * upstream connection, head to tail
 * upstream-proxy  HttpProxyHandler            a parent proxy is in the way
 * upstream-tls    SslHandler                  TLS to the origin
 * upstream-codec  HttpClientCodec             HTTP
 * upstream-handler UpstreamHttpHandler        HTTP
 * origin-watch    OriginWatch                 an intercepted CONNECT waits for its client's first
 *                                             bytes and listens for an origin that speaks first
 * relay           Relay                       a blind relay
 * </pre>
 */
public final class PipelineNames {
    private PipelineNames() {}

    public static final String FIRST_BYTES = "first-bytes";
    public static final String PROXY_TLS = "proxy-tls";
    public static final String INTERCEPT_TLS = "intercept-tls";
    public static final String HANDSHAKE_WATCH = "handshake-watch";
    public static final String HEAD_TIMER = "head-timer";
    public static final String HTTP_CODEC = "http-codec";
    public static final String READ_GATE = "read-gate";
    public static final String IDLE = "idle";
    public static final String ACCESS = "access";
    /** On a redirected (transparent) connection's plain HTTP: the Host header against the original destination. */
    public static final String HOST_CHECK = "host-check";

    public static final String EXCHANGES = "exchanges";
    public static final String RELAY = "relay";
    public static final String TAIL = "tail";

    /** The HTTP/1.1 stages of a client pipeline, which a CONNECT or a 101 strips together. */
    public static final String[] HTTP_STAGES = {EXCHANGES, HOST_CHECK, ACCESS, READ_GATE, HTTP_CODEC, IDLE, HEAD_TIMER};

    public static final String UPSTREAM_PROXY = "upstream-proxy";
    public static final String UPSTREAM_TLS = "upstream-tls";
    public static final String UPSTREAM_CODEC = "upstream-codec";
    public static final String UPSTREAM_HANDLER = "upstream-handler";
    public static final String ORIGIN_WATCH = "origin-watch";
}
