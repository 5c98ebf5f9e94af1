package dev.tollgate.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays stream resets between the two legs of an exchange. On a stream channel of either leg it
 * turns a received RST_STREAM (or a GOAWAY that left the stream unprocessed) into a
 * {@link StreamReset} for the exchange, and when the exchange closes the stream after its
 * paired stream was reset, it resets this one with the same error code instead of CANCEL.
 */
public final class StreamResets extends ChannelDuplexHandler {
    private static final AttributeKey<Long> RELAY = AttributeKey.valueOf("tollgate.h2.resetCode");

    /**
     * Marks {@code paired} so that closing it resets its stream with the code of {@code cause};
     * does nothing unless the cause is a reset and the channel an HTTP/2 stream.
     *
     * @return true when the reset will be relayed
     */
    public static boolean relay(Throwable cause, Channel paired) {
        if (cause instanceof StreamReset reset && paired instanceof Http2StreamChannel) {
            paired.attr(RELAY).set(reset.code());
            return true;
        }
        return false;
    }

    /**
     * Netty hands a stream its RST_STREAM as an event (resets are not flow-controlled); a GOAWAY
     * naming a last stream below this one means the peer never processed it (a retry is safe).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            ctx.fireExceptionCaught(
                    new StreamReset(reset.errorCode(), "stream reset with " + StreamReset.describe(reset.errorCode())));
            return;
        }
        if (evt instanceof Http2GoAwayFrame goAway) {
            long code = goAway.errorCode();
            ReferenceCountUtil.release(goAway);
            ctx.fireExceptionCaught(new StreamReset(
                    Http2Error.REFUSED_STREAM.code(),
                    "GOAWAY " + StreamReset.describe(code) + " before the stream was processed"));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        Long code = ctx.channel().attr(RELAY).getAndSet(null);
        if (code != null
                && ctx.channel().isActive()
                && ((Http2StreamChannel) ctx.channel()).stream().id() > 0) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(code)); // a failure means the stream ended already
        }
        ctx.close(promise);
    }
}
