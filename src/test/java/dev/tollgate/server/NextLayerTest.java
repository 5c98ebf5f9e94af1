package dev.tollgate.server;

import static dev.tollgate.server.PipelineRig.ascii;
import static dev.tollgate.server.PipelineRig.stages;
import static dev.tollgate.server.PipelineRig.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.net.Drain;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.route.Hop;
import dev.tollgate.route.RouteDecision;
import dev.tollgate.route.Target;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every transition the pipeline owner makes, handler by handler, on EmbeddedChannels. */
class NextLayerTest {
    private static final List<String> HTTP_ON_PROXY_PORT = List.of(
            PipelineNames.HEAD_TIMER,
            PipelineNames.HTTP_CODEC,
            PipelineNames.READ_GATE,
            PipelineNames.IDLE,
            PipelineNames.ACCESS,
            PipelineNames.EXCHANGES,
            PipelineNames.TAIL);
    private static final List<String> HTTP_INSIDE_CONNECT = List.of(
            PipelineNames.HEAD_TIMER,
            PipelineNames.HTTP_CODEC,
            PipelineNames.READ_GATE,
            PipelineNames.IDLE,
            PipelineNames.EXCHANGES,
            PipelineNames.TAIL);

    private PipelineRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private EmbeddedChannel accepted(boolean withCa, Map<String, Object> settings) throws Exception {
        rig = new PipelineRig(withCa, settings);
        EmbeddedChannel client = PipelineRig.client();
        rig.next.accepted(client);
        return client;
    }

    @Test
    void acceptedConnectionAwaitsItsFirstBytesBeforeItsTail() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of());
        assertThat(stages(client)).containsExactly(PipelineNames.FIRST_BYTES, PipelineNames.TAIL);
    }

    @Test
    void plainHttpOnTheProxyPortGetsTheHttpStagesInTheDocumentedOrder() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of());
        client.writeInbound(ascii("GET / HTTP/1.1\r\nHost: 10.0.0.1:8080\r\n\r\n"));
        assertThat(stages(client)).isEqualTo(HTTP_ON_PROXY_PORT);
        String answer = written(client);
        assertThat(answer)
                .startsWith("HTTP/1.1 200")
                .contains("export http_proxy=http://10.0.0.1:8080\n")
                .contains("how to, for each platform: http://127.0.0.1:8081/ca\n");
        FlowRecord f = rig.flows.get(0);
        assertThat(f.mode()).isEqualTo(FlowMode.LOCAL);
        assertThat(f.bytesDown()).isEqualTo(answer.length() - answer.indexOf("\r\n\r\n") - 4);
    }

    @Test
    void anythingElseOnTheProxyPortIsHttpAndGetsA400() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of());
        client.writeInbound(ascii("\u0001\u0002 garbage\r\n\r\n"));
        assertThat(written(client)).startsWith("HTTP/1.1 400");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void tlsToTheProxyGetsProxyTlsThenTheClassifierAgainBehindIt() throws Exception {
        EmbeddedChannel client = accepted(true, Map.of());
        client.writeInbound(PipelineRig.clientHello("proxy.test"));
        assertThat(stages(client))
                .containsExactly(PipelineNames.PROXY_TLS, PipelineNames.FIRST_BYTES, PipelineNames.TAIL);
        assertThat(written(client)).as("a ServerHello").isNotEmpty();
    }

    @Test
    void tlsToTheProxyWithoutACaIsClosed() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of());
        client.writeInbound(PipelineRig.clientHello("proxy.test"));
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void clientThatRejectsTheProxysOwnCertificateLeavesAFlowWithAdvice() throws Exception {
        EmbeddedChannel client = accepted(true, Map.of());
        client.writeInbound(PipelineRig.clientHello("proxy.test"));
        written(client);
        // a TLS alert record: fatal (2), unknown_ca (48)
        client.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x30}));
        assertThat(client.isOpen()).isFalse();
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.error())
                        .contains("the proxy's own certificate")
                        .contains("install certs/ca.pem"));
    }

    @Test
    void silentClientOnTheProxyPortIsClosedAfterTheRequestHeadTimeout() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of("timeouts.requestHead", "2s"));
        client.advanceTimeBy(2, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertThat(client.isOpen()).isFalse();
        assertThat(rig.flows).isEmpty();
    }

    @Test
    void capitalsThatNeverBecomeAMethodAreHttpOnTheProxyPortOnceTheTimerFires() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of("timeouts.requestHead", "2s"));
        client.writeInbound(ascii("GE"));
        assertThat(stages(client)).containsExactly(PipelineNames.FIRST_BYTES, PipelineNames.TAIL);
        client.advanceTimeBy(2, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertThat(stages(client)).isEqualTo(HTTP_ON_PROXY_PORT);
    }

    @Test
    void silentConnectionClosesAtOnceWhenTheProxyDrains() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of());
        client.pipeline().fireUserEventTriggered(Drain.EVENT);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void clientThatHalfClosesBeforeAByteIsClosed() throws Exception {
        EmbeddedChannel client = accepted(false, Map.of());
        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(client.isOpen()).isFalse();
    }

    // ---- after a CONNECT was answered ----

    private static final Target TARGET = Target.parseAuthority("origin.test:443", -1);

    private Flow connectFlow() {
        return rig.context.flows().open("10.1.2.3:40000").request("CONNECT", TARGET.authority());
    }

    @Test
    void tunnelIsABlindRelayBothWays() throws Exception {
        rig = new PipelineRig(false, Map.of());
        EmbeddedChannel client = PipelineRig.client();
        EmbeddedChannel origin = PipelineRig.origin();
        rig.owner.accept(client, (ctx, found) -> {});
        client.pipeline().remove(PipelineNames.FIRST_BYTES);
        rig.next.accepted(
                client,
                new RouteDecision.Tunnel(TARGET, Hop.DIRECT, false),
                connectFlow().mode(FlowMode.TUNNEL),
                ascii("early"),
                origin);
        assertThat(stages(client)).containsExactly(PipelineNames.RELAY, PipelineNames.TAIL);
        assertThat(written(origin)).isEqualTo("early");
        client.writeInbound(ascii("up"));
        origin.writeInbound(ascii("down"));
        assertThat(written(origin)).isEqualTo("up");
        assertThat(written(client)).isEqualTo("down");
        assertThat(rig.next).isNotNull();
        assertThat(rig.owner.openRelays()).isEqualTo(1);
        client.close();
        origin.close();
        assertThat(rig.owner.openRelays()).isZero();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(200);
            assertThat(f.bytesUp()).isEqualTo("early".length() + 2);
            assertThat(f.bytesDown()).isEqualTo(4);
        });
    }

    private EmbeddedChannel[] intercepted(Map<String, Object> settings, Flow[] flow) throws Exception {
        rig = new PipelineRig(true, settings);
        EmbeddedChannel client = PipelineRig.client();
        EmbeddedChannel origin = PipelineRig.origin();
        rig.owner.accept(client, (ctx, found) -> {});
        client.pipeline().remove(PipelineNames.FIRST_BYTES);
        flow[0] = connectFlow().mode(FlowMode.INTERCEPT);
        rig.next.accepted(
                client, new RouteDecision.Intercept(TARGET, Hop.DIRECT), flow[0], Unpooled.EMPTY_BUFFER, origin);
        assertThat(stages(client)).containsExactly(PipelineNames.FIRST_BYTES, PipelineNames.TAIL);
        assertThat(stages(origin)).containsExactly(PipelineNames.ORIGIN_WATCH);
        return new EmbeddedChannel[] {client, origin};
    }

    @Test
    void httpInsideAnInterceptedConnectGetsTheHttpStagesWithoutAccessAndUsesTheOpenOrigin() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[0].writeInbound(ascii("GET /inside HTTP/1.1\r\nHost: origin.test\r\n\r\n"));
        assertThat(stages(ends[0])).isEqualTo(HTTP_INSIDE_CONNECT);
        assertThat(stages(ends[1])).containsExactly(PipelineNames.UPSTREAM_CODEC, PipelineNames.UPSTREAM_HANDLER);
        assertThat(written(ends[1])).startsWith("GET /inside HTTP/1.1\r\n").contains("via: 1.1 tollgate");
    }

    @Test
    void tlsInsideAnInterceptedConnectReadsTheClientHelloAndStartsTheOriginsTlsWithItsName() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[0].writeInbound(PipelineRig.clientHello("origin.test"));
        assertThat(stages(ends[0])).containsExactly(PipelineNames.INTERCEPT_TLS, PipelineNames.TAIL);
        assertThat(stages(ends[1])).startsWith(PipelineNames.UPSTREAM_TLS);
        assertThat(written(ends[1]).getBytes(StandardCharsets.ISO_8859_1)[0])
                .as("the proxy's own ClientHello to the origin, over the connection opened before the 200")
                .isEqualTo((byte) 0x16);
    }

    @Test
    void neitherTlsNorHttpInsideIsRelayedBlindAndLoggedAsATunnel() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[0].writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x01, 0x02}));
        assertThat(stages(ends[0])).containsExactly(PipelineNames.RELAY, PipelineNames.TAIL);
        assertThat(written(ends[1])).isEqualTo("\u0000\u0001\u0002");
        ends[0].close();
        ends[1].close();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.mode()).isEqualTo(FlowMode.TUNNEL);
            assertThat(f.bytesUp()).isEqualTo(3);
        });
    }

    @Test
    void originThatSpeaksFirstTurnsTheTunnelBlindAndItsBannerReachesTheClient() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[1].writeInbound(ascii("220 smtp.test ready\r\n"));
        assertThat(stages(ends[0])).containsExactly(PipelineNames.RELAY, PipelineNames.TAIL);
        assertThat(stages(ends[1])).containsExactly(PipelineNames.RELAY);
        assertThat(written(ends[0])).isEqualTo("220 smtp.test ready\r\n");
    }

    @Test
    void originClosingBeforeEitherSideSpokeEndsTheInterceptedConnectWithAReason() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[1].close();
        assertThat(ends[0].isOpen()).isFalse();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.mode()).isEqualTo(FlowMode.INTERCEPT);
            assertThat(f.error()).isEqualTo("the origin closed the connection before either side spoke");
        });
    }

    @Test
    void clientSilentPastClientFirstByteIsRelayedBlind() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of("timeouts.clientFirstByte", "300ms"), new Flow[1]);
        ends[0].advanceTimeBy(300, TimeUnit.MILLISECONDS);
        ends[0].runScheduledPendingTasks();
        assertThat(stages(ends[0])).containsExactly(PipelineNames.RELAY, PipelineNames.TAIL);
    }

    @Test
    void clientClosingInsideBeforeAByteLeavesAFlowAndClosesTheOrigin() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[0].pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ends[0].isOpen()).isFalse();
        assertThat(ends[1].isOpen()).isFalse();
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.error()).isEqualTo("client closed the tunnel before sending anything"));
    }

    @Test
    void clientClosingAfterHttpWasChosenButBeforeARequestLeavesOneFlow() throws Exception {
        EmbeddedChannel[] ends = intercepted(Map.of(), new Flow[1]);
        ends[0].writeInbound(ascii("GET "));
        assertThat(stages(ends[0])).isEqualTo(HTTP_INSIDE_CONNECT);
        ends[0].close();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.method()).isEqualTo("CONNECT");
            assertThat(f.error()).contains("without sending a request inside it");
        });
    }

    // ---- a route decision that takes the SNI once known ----

    private static final Target ADDRESS = Target.parseAuthority("192.0.2.7:443", -1);

    private EmbeddedChannel[] interceptedAddress(Map<String, Object> settings) throws Exception {
        rig = new PipelineRig(true, settings);
        EmbeddedChannel client = PipelineRig.client();
        EmbeddedChannel origin = PipelineRig.origin();
        rig.owner.accept(client, (ctx, found) -> {});
        client.pipeline().remove(PipelineNames.FIRST_BYTES);
        Flow flow = rig.context
                .flows()
                .open("10.1.2.3:40000")
                .request("CONNECT", ADDRESS.authority())
                .mode(FlowMode.INTERCEPT);
        rig.next.accepted(
                client, new RouteDecision.Intercept(ADDRESS, Hop.DIRECT), flow, Unpooled.EMPTY_BUFFER, origin);
        return new EmbeddedChannel[] {client, origin};
    }

    @Test
    void connectToAnAddressWhoseSniIsPassthroughIsRelayedBlindWithTheClientHello() throws Exception {
        EmbeddedChannel[] ends = interceptedAddress(Map.of("passthrough", "pinned.test"));
        ends[0].writeInbound(PipelineRig.clientHello("pinned.test"));
        assertThat(stages(ends[0])).containsExactly(PipelineNames.RELAY, PipelineNames.TAIL);
        assertThat(written(ends[1]))
                .as("the client's own ClientHello, untouched")
                .startsWith("\u0016\u0003");
        ends[0].close();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.mode()).isEqualTo(FlowMode.TUNNEL);
            assertThat(f.tls().sni()).isEqualTo("pinned.test");
        });
    }

    @Test
    void connectToAnAddressWhoseSniIsDeniedByEgressIsClosedWithTheRule() throws Exception {
        EmbeddedChannel[] ends = interceptedAddress(Map.of("egress.deny", "blocked.test"));
        ends[0].writeInbound(PipelineRig.clientHello("blocked.test"));
        assertThat(ends[0].isOpen()).isFalse();
        assertThat(ends[1].isOpen()).isFalse();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.mode()).isEqualTo(FlowMode.DENY);
            assertThat(f.status()).isEqualTo(403);
            assertThat(f.error()).contains("egress policy").contains("by the TLS server name");
        });
    }

    // ---- a CONNECT answered from the pool (no origin connection opened) ----

    private EmbeddedChannel answeredFromThePool() throws Exception {
        rig = new PipelineRig(true, Map.of());
        EmbeddedChannel client = PipelineRig.client();
        rig.owner.accept(client, (ctx, found) -> {});
        client.pipeline().remove(PipelineNames.FIRST_BYTES);
        Flow flow = connectFlow().mode(FlowMode.INTERCEPT);
        rig.next.accepted(client, new RouteDecision.Intercept(TARGET, Hop.DIRECT), flow, Unpooled.EMPTY_BUFFER, null);
        return client;
    }

    @Test
    void withoutAnOriginConnectionTlsInsideStillGetsTheLeaf() throws Exception {
        EmbeddedChannel client = answeredFromThePool();
        client.writeInbound(PipelineRig.clientHello("origin.test"));
        assertThat(stages(client)).containsExactly(PipelineNames.INTERCEPT_TLS, PipelineNames.TAIL);
    }

    @Test
    void withoutAnOriginConnectionShortSilenceIsNoReasonToGoBlind() throws Exception {
        EmbeddedChannel client = answeredFromThePool();
        client.advanceTimeBy(1, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertThat(stages(client)).containsExactly(PipelineNames.FIRST_BYTES, PipelineNames.TAIL);
        client.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00}));
        assertThat(client.isOpen()).isFalse();
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.error())
                        .isEqualTo("neither TLS nor HTTP inside a CONNECT to an origin that speaks TLS"));
    }
}
