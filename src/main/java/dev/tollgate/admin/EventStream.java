package dev.tollgate.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.LatestFlowSink;
import dev.tollgate.flow.store.FlowJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /api/events}: the live list as Server-Sent Events. Flow events from every proxy loop
 * are coalesced per flow (the newest snapshot wins) and pushed as one batch every 250 ms, so
 * 2,000 flows a second cost the browser four messages, not 6,000. When more flows changed than
 * one batch may carry, or a viewer cannot keep up, the viewer is told to reload the list
 * ({@code reset}) instead of the proxy buffering without bound.
 */
public final class EventStream implements LatestFlowSink, Endpoint {
    static final long BATCH_MILLIS = 250;
    static final int MAX_BATCH = 5_000;
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final FlowJson json;
    private final ObjectMapper mapper;
    private final Map<Long, FlowRecord> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final List<Channel> viewers = new ArrayList<>();
    private volatile boolean watched;
    private EventExecutor loop;
    private long quietSince = System.nanoTime();

    EventStream(ObjectMapper mapper) {
        this.mapper = mapper;
        this.json = new FlowJson(mapper);
    }

    /** Starts the batch timer on the admin loop, which owns the viewer list. */
    void start(EventExecutor loop) {
        this.loop = loop;
        loop.scheduleWithFixedDelay(this::push, BATCH_MILLIS, BATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Running flows are snapshotted only while a viewer is connected (the store follows this too). */
    @Override
    public boolean wantsProgress() {
        return watched;
    }

    @Override
    public void latest(FlowRecord flow) {
        offer(flow);
    }

    private void offer(FlowRecord flow) {
        if (!watched) {
            return;
        }
        if (pending.size() >= MAX_BATCH && !pending.containsKey(flow.id())) {
            overflowed.set(true);
            return;
        }
        pending.put(flow.id(), flow);
    }

    @Override
    public void serve(AdminExchange x) {
        if (!SameOrigin.allows(x.request())) {
            x.text(
                    403,
                    "event stream refused: the page asking for it is from another origin ("
                            + x.request().headers().get(HttpHeaderNames.ORIGIN) + ")\n");
            return;
        }
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        AdminExchange.secure(r.headers());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        HttpUtil.setTransferEncodingChunked(r, true);
        Channel ch = x.ctx().channel();
        ch.write(r);
        ch.writeAndFlush(chunk("retry: 2000\n\n"));
        viewers.add(ch);
        watched = true;
        ch.closeFuture()
                .addListener(f -> loop.execute(() -> {
                    viewers.remove(ch);
                    watched = !viewers.isEmpty();
                }));
    }

    /** Runs on the admin loop every {@link #BATCH_MILLIS}. */
    private void push() {
        if (viewers.isEmpty()) {
            pending.clear();
            return;
        }
        String message = null;
        if (overflowed.getAndSet(false)) {
            pending.clear();
            message = "event: reset\ndata: {}\n\n";
        } else if (!pending.isEmpty()) {
            message = batch();
        } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) {
            message = ": still here\n\n";
        }
        if (message == null) {
            return;
        }
        quietSince = System.nanoTime();
        for (Channel ch : List.copyOf(viewers)) {
            if (ch.isWritable()) {
                ch.writeAndFlush(chunk(message));
            } else {
                // a viewer that cannot keep up reconnects and reloads the list
                ch.close();
            }
        }
    }

    private String batch() {
        ArrayNode rows = mapper.createArrayNode();
        for (Long id : List.copyOf(pending.keySet())) {
            FlowRecord f = pending.remove(id);
            if (f != null) {
                rows.add(json.row(f));
            }
        }
        return "event: flows\ndata: " + rows + "\n\n";
    }

    private static DefaultHttpContent chunk(String text) {
        ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        return new DefaultHttpContent(b);
    }

    /** Viewers subscribed now (admin loop only). */
    int viewerCount() {
        return viewers.size();
    }
}
