package dev.tollgate.server;

import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.HostPort;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.FlowRecord;
import dev.tollgate.flow.Flows;
import dev.tollgate.http.BodyCapturePolicy;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.http.ProxyAuthenticator;
import dev.tollgate.intercept.InterceptServices;
import dev.tollgate.net.PipelineNames;
import dev.tollgate.policy.ProxyCredentials;
import dev.tollgate.route.AutoPassthrough;
import dev.tollgate.route.Router;
import dev.tollgate.upstream.HostResolver;
import dev.tollgate.upstream.UpstreamConnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server's pipeline owner and next-layer decisions built as the composition root builds
 * them, for EmbeddedChannel tests: real config, router, stages and interception, no sockets.
 */
final class PipelineRig implements AutoCloseable {
    static final CertificateAuthority CA;

    static {
        try {
            CA = CaGenerator.generate("Rig CA", KeyKind.EC256, 2);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ProxyConfig config;
    final List<FlowRecord> flows = new CopyOnWriteArrayList<>();
    final PipelineOwner owner;
    final HttpProxyContext context;
    final NextLayer next;
    private final HostResolver resolver = new HostResolver(Map.of());
    private final Interception interception;
    private final ProxyAuthenticator auth;

    PipelineRig(boolean withCa, Map<String, Object> settings) throws Exception {
        Path empty = Files.createTempFile("rig", ".yaml");
        Map<String, Object> all = new HashMap<>(Map.of("listen", "127.0.0.1:8080"));
        all.putAll(settings);
        config = ConfigLoader.load(empty, Map.of(), all);
        Files.delete(empty);
        interception = withCa ? new Interception(CA, config) : null;
        Router router = Routing.from(config, withCa, 8080);
        Flows fanOut = new Flows(List.of(flows::add));
        UpstreamConnector upstream = new UpstreamConnector(
                NioSocketChannel.class,
                resolver,
                config.timeouts().connect(),
                Interception.upstreamTls(config),
                4,
                config.timeouts().idleUpstream(),
                () -> router.policy().egress());
        owner = new PipelineOwner(config);
        auth = config.proxyAuthFile() == null
                ? null
                : new ProxyAuthenticator(ProxyCredentials.load(config.proxyAuthFile()));
        context = new HttpProxyContext(
                () -> router,
                upstream,
                fanOut,
                owner,
                new ProxyHomePage("test", new HostPort("127.0.0.1", 8081)),
                "1.1 tollgate",
                config.timeouts().firstByte(),
                100,
                auth,
                BodyCapturePolicy.of(config.admin()));
        ProxyTls proxyTls = withCa
                ? new ProxyTls(
                        interception.forge,
                        interception.contexts,
                        List.of("proxy.test"),
                        config.timeouts().handshake())
                : null;
        InterceptServices intercept = withCa
                ? new InterceptServices(
                        upstream,
                        interception.leaves,
                        interception.contexts,
                        fanOut,
                        config.timeouts().handshake(),
                        AutoPassthrough.off())
                : null;
        next = new NextLayer(
                owner,
                context,
                proxyTls,
                intercept,
                Map.of(),
                config.timeouts().requestHead(),
                config.timeouts().clientFirstByte());
    }

    /** A client connection from 10.1.2.3 that reached the proxy at 10.0.0.1:8080. */
    static EmbeddedChannel client() {
        return channel(new InetSocketAddress("10.0.0.1", 8080), new InetSocketAddress("10.1.2.3", 40000));
    }

    /** The origin side of a CONNECT, as the CONNECT stage hands it over: connected, nothing read. */
    static EmbeddedChannel origin() {
        return channel(new InetSocketAddress("10.0.0.1", 50000), new InetSocketAddress("192.0.2.7", 443));
    }

    private static EmbeddedChannel channel(SocketAddress local, SocketAddress remote) {
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress localAddress0() {
                return local;
            }

            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
    }

    /** The proxy's handlers in the pipeline, head to tail, by their documented names. */
    static List<String> stages(Channel ch) {
        List<String> known = Arrays.asList(
                PipelineNames.FIRST_BYTES,
                PipelineNames.PROXY_TLS,
                PipelineNames.INTERCEPT_TLS,
                PipelineNames.HEAD_TIMER,
                PipelineNames.HTTP_CODEC,
                PipelineNames.READ_GATE,
                PipelineNames.IDLE,
                PipelineNames.ACCESS,
                PipelineNames.EXCHANGES,
                PipelineNames.RELAY,
                PipelineNames.TAIL,
                PipelineNames.ORIGIN_WATCH,
                PipelineNames.UPSTREAM_TLS,
                PipelineNames.UPSTREAM_CODEC,
                PipelineNames.UPSTREAM_HANDLER);
        List<String> out = new ArrayList<>();
        for (String name : ch.pipeline().names()) {
            if (known.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** Runs the channel's tasks until {@code done} holds (work handed back from other threads), 5 s at most. */
    static void runUntil(EmbeddedChannel ch, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            ch.runPendingTasks();
            Thread.sleep(5);
        }
    }

    /** Everything written to the channel so far, as text. */
    static String written(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }

    /** A real TLS ClientHello for {@code serverName}, as a JDK client sends it. */
    static ByteBuf clientHello(String serverName) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        return Unpooled.wrappedBuffer(out);
    }

    @Override
    public void close() {
        resolver.close();
        if (auth != null) {
            auth.close();
        }
        if (interception != null) {
            interception.close();
        }
    }
}
