package dev.tollgate.config;

import java.time.Duration;

/**
 * What one HTTP/2 client connection may ask of the proxy before it is cut off with GOAWAY
 * (each maps onto a Netty codec knob; see {@code config/tollgate.yaml}).
 *
 * @param maxConcurrentStreams streams open at once per client connection (SETTINGS_MAX_CONCURRENT_STREAMS)
 * @param maxHeaderListSize decoded header bytes per request; past it the stream is refused, past
 *     1.25 times it (a CONTINUATION flood, an HPACK bomb) the connection is closed
 * @param maxResets RST_STREAM frames a client may send per {@code resetWindow} (rapid reset, CVE-2023-44487)
 * @param maxQueuedControlFrames answers to PING and SETTINGS waiting for a client that does not read
 * @param maxEmptyDataFrames consecutive empty DATA frames without END_STREAM
 * @param maxSmallContinuationFrames consecutive tiny CONTINUATION frames in one header block
 */
public record Http2Limits(
        int maxConcurrentStreams,
        int maxHeaderListSize,
        int maxResets,
        Duration resetWindow,
        int maxQueuedControlFrames,
        int maxEmptyDataFrames,
        int maxSmallContinuationFrames) {}
