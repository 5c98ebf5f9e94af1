package dev.tollgate.http2;

import dev.tollgate.config.Http2Limits;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;

/** The HTTP/2 frame codecs of both legs, with the proxy's limits and header rules. */
public final class H2Codecs {
    /** Origins send large heads (cookies, CSP), as on HTTP/1.1 (see UpstreamConnector). */
    private static final int MAX_RESPONSE_HEADER_LIST = 64 * 1024;

    /**
     * What an origin may send on one stream before the proxy has passed it on. HTTP/2's 64 KiB
     * default made a bulk download wait for a WINDOW_UPDATE every 32 KiB: ~300 MiB/s at most
     * and ~100 ms of event-loop CPU per 100 MiB in window updates (README, Performance). Still
     * bounded: a stream whose client reads slowly holds at most this much, and Netty's frame
     * codec opens the connection window to twice it so one stream cannot fill it alone.
     */
    public static final int ORIGIN_STREAM_WINDOW = 1 << 20;

    /**
     * Credentials are never put in an HPACK dynamic table: an origin connection is shared by
     * the clients of one event loop, and an indexed secret of one client would let another
     * probe it through compressed sizes.
     */
    static final Http2HeadersEncoder.SensitivityDetector SECRETS =
            (name, value) -> AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.AUTHORIZATION)
                    || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_AUTHORIZATION)
                    || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)
                    || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.SET_COOKIE);

    private H2Codecs() {}

    /** Toward a client: every limit of {@code http2.*} enforced, a breach answered with GOAWAY. */
    public static Http2FrameCodec clientFacing(Http2Limits limits) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .maxHeaderListSize(limits.maxHeaderListSize()); // a server may not send ENABLE_PUSH
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .headerSensitivityDetector(SECRETS)
                .decoderEnforceMaxRstFramesPerWindow(
                        limits.maxResets(), (int) limits.resetWindow().toSeconds())
                .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
                .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.maxEmptyDataFrames())
                .decoderEnforceMaxSmallContinuationFrames(limits.maxSmallContinuationFrames())
                .build();
    }

    /** Toward an origin: no server push (nothing would take it), headers validated. */
    public static Http2FrameCodec originFacing() {
        Http2Settings settings = Http2Settings.defaultSettings()
                .pushEnabled(false)
                .maxHeaderListSize(MAX_RESPONSE_HEADER_LIST)
                .initialWindowSize(ORIGIN_STREAM_WINDOW);
        return Http2FrameCodecBuilder.forClient()
                .initialSettings(settings)
                .validateHeaders(true)
                .headerSensitivityDetector(SECRETS)
                .build();
    }
}
