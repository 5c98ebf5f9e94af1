package dev.tollgate.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Lets exactly one decoded message through per {@code read()}, holding the rest (an HTTP
 * decoder emits a head and its body parts from one socket read, and a pipelining client sends
 * several requests at once).
 *
 * <p>Why not Netty's FlowControlHandler: a {@code read()} issued while it is still delivering
 * the previous message (the normal case here: an exchange ends inside that callback and asks
 * for the next request) can leave it waiting for a socket read that never delivers, stalling
 * the connection. This gate counts demand explicitly and never delivers re-entrantly.
 */
public final class ReadGate extends ChannelDuplexHandler {
    /** Fired down the pipeline when a client queued more requests than allowed; the gate dropped them. */
    public static final Object OVERFLOW = new Object() {
        @Override
        public String toString() {
            return "too many pipelined requests";
        }
    };

    private final ArrayDeque<Object> held = new ArrayDeque<>(4);
    private final int maxHeldRequests;
    private int heldRequests;
    private Object heldShutdown;
    private boolean demand;
    private boolean delivering;

    /** @param maxHeldRequests pipelined request heads held at most; more ends the connection */
    public ReadGate(int maxHeldRequests) {
        this.maxHeldRequests = maxHeldRequests;
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        demand = true;
        if (delivering) {
            return; // the delivery loop below sees the demand when the current message is handled
        }
        if (held.isEmpty()) {
            ctx.read();
        } else {
            deliver(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && ++heldRequests > maxHeldRequests) {
            ReferenceCountUtil.release(msg);
            releaseHeld();
            ctx.fireUserEventTriggered(OVERFLOW);
            return;
        }
        held.add(msg);
        deliver(ctx);
    }

    private void deliver(ChannelHandlerContext ctx) {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (demand && !held.isEmpty()) {
                demand = false;
                Object next = held.poll();
                if (next instanceof HttpRequest) {
                    heldRequests--;
                }
                ctx.fireChannelRead(next);
            }
        } finally {
            delivering = false;
        }
        if (held.isEmpty() && heldShutdown != null) {
            Object evt = heldShutdown;
            heldShutdown = null;
            ctx.fireUserEventTriggered(evt); // the client's half-close, now that all it sent is through
        } else if (demand && held.isEmpty()) {
            ctx.read(); // asked for more while we were delivering: fetch it from the socket
        }
    }

    /**
     * A client's half-close must not overtake requests it sent before it: the event waits
     * behind the held messages.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !held.isEmpty()) {
            heldShutdown = evt;
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Messages still held when the gate is removed go on to whoever follows (see {@link Leftovers}). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        while (!held.isEmpty()) {
            ctx.fireChannelRead(held.poll());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
        heldRequests = 0;
    }
}
