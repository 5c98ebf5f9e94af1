package dev.tollgate.net;

/** Names of every handler the proxy puts in a pipeline, so that one stage can find another. */
public final class PipelineNames {
    private PipelineNames() {}

    public static final String SNIFFER = "sniffer";
    public static final String PROXY_TLS = "proxy-tls";
    public static final String INTERCEPT_TLS = "intercept-tls";
    public static final String HEAD_TIMER = "head-timer";
    public static final String HTTP_CODEC = "http-codec";
    public static final String READ_GATE = "read-gate";
    public static final String FRONTEND = "frontend";
    public static final String IDLE = "idle";
    public static final String RELAY = "relay";

    public static final String UPSTREAM_PROXY = "upstream-proxy";
    public static final String UPSTREAM_TLS = "upstream-tls";
    public static final String UPSTREAM_CODEC = "upstream-codec";
    public static final String UPSTREAM_HANDLER = "upstream-handler";
}
