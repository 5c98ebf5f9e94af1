package dev.tollgate.http;

import dev.tollgate.flow.Flow;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;

/** The client leg's HTTP/2 facts on a flow: the version and the stream, when the exchange is one. */
public final class StreamFacts {
    public static final String HTTP_2 = "HTTP/2";

    private StreamFacts() {}

    /** Marks the flow as HTTP/2 stream N when {@code client} is a stream channel; else leaves it be. */
    public static void clientLeg(Flow flow, Channel client) {
        if (client instanceof Http2StreamChannel stream) {
            flow.clientVersion(HTTP_2).streamId(stream.stream().id());
        }
    }
}
