package dev.tollgate.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time from a request's first byte to its complete head. An idle timer alone
 * misses slowloris (one byte every few seconds is never idle); this one starts at the first
 * byte and only a decoded request head stops it. Sits before the HTTP decoder; the front end
 * tells it when a head arrived and when the next one is due.
 */
public final class RequestHeadTimer extends ChannelInboundHandlerAdapter {
    /** Fired down the pipeline when a head took too long. */
    public static final Object EXPIRED = new Object() {
        @Override
        public String toString() {
            return "request head timeout";
        }
    };

    private final long nanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean expecting = true;

    public RequestHeadTimer(Duration timeout) {
        this.nanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (expecting && timer == null && msg instanceof ByteBuf b && b.isReadable()) {
            timer = ctx.executor().schedule(() -> ctx.fireUserEventTriggered(EXPIRED), nanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    void headArrived() {
        expecting = false;
        cancel();
    }

    void expectHead() {
        expecting = true;
    }

    Duration timeout() {
        return Duration.ofNanos(nanos);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
