package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live stream's batching, on an EmbeddedChannel whose clock the test moves. */
class EventStreamTest {
    private final EventStream events = new EventStream(new ObjectMapper());
    private final Flows flows = new Flows(List.of(events));
    private EmbeddedChannel viewer;

    @BeforeEach
    void subscribe() {
        viewer = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FullHttpRequest r = (FullHttpRequest) msg;
                try {
                    events.serve(new AdminExchange(ctx, r));
                } finally {
                    r.release();
                }
            }
        });
        viewer.freezeTime();
        events.start(viewer.eventLoop());
        viewer.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/events"));
        assertThat((Object) viewer.readOutbound()).isInstanceOf(HttpResponse.class);
        assertThat(nextChunk()).isEqualTo("retry: 2000\n\n");
    }

    @AfterEach
    void close() {
        viewer.finishAndReleaseAll();
    }

    private String nextChunk() {
        HttpContent c = viewer.readOutbound();
        if (c == null) {
            return null;
        }
        try {
            ByteBuf b = c.content();
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            c.release();
        }
    }

    private void tick() {
        viewer.advanceTimeBy(EventStream.BATCH_MILLIS, TimeUnit.MILLISECONDS);
        viewer.runScheduledPendingTasks();
    }

    @Test
    void eventsOfOneTickGoOutAsOneBatchWithTheNewestSnapshotOfEachFlow() {
        Flow a = flows.open("c").request("GET", "http://a/").mode(FlowMode.FORWARD);
        a.started();
        Flow b = flows.open("c").request("GET", "http://b/").mode(FlowMode.FORWARD);
        b.started();
        a.end();
        assertThat(nextChunk()).isNull(); // nothing before the tick
        tick();
        String batch = nextChunk();
        assertThat(batch).startsWith("event: flows\ndata: [").endsWith("]\n\n");
        assertThat(batch.split("\"id\":", -1)).hasSize(3); // two flows, one row each
        assertThat(batch).contains("\"url\":\"http://a/\"", "\"ended\":true", "\"url\":\"http://b/\"");
        assertThat(nextChunk()).isNull();
        tick();
        assertThat(nextChunk()).isNull(); // quiet ticks send nothing (a heartbeat only after 15 s)
    }

    @Test
    void moreChangedFlowsThanABatchCarriesTellTheViewerToReload() {
        for (int i = 0; i < EventStream.MAX_BATCH + 10; i++) {
            flows.open("c")
                    .request("GET", "http://h/" + i)
                    .mode(FlowMode.FORWARD)
                    .end();
        }
        tick();
        assertThat(nextChunk()).isEqualTo("event: reset\ndata: {}\n\n");
        flows.open("c").request("GET", "http://after/").mode(FlowMode.FORWARD).end();
        tick();
        assertThat(nextChunk()).contains("http://after/");
    }

    @Test
    void aClosedViewerIsForgotten() {
        assertThat(events.viewerCount()).isEqualTo(1);
        viewer.close();
        viewer.runPendingTasks();
        assertThat(events.viewerCount()).isZero();
    }
}
