package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.flow.FlowRecord;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gRPC through interception: a grpc-java client that trusts only Tollgate's CA and reaches the
 * proxy with CONNECT, a grpc-java server behind it. gRPC needs h2 on both legs, trailers and
 * TE: trailers, so every call here fails unless all three are carried.
 */
class GrpcIT {
    private static final String SERVICE = "tollgate.test.Echo";
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS_50_MIB = 800;

    static InterceptFixture pki;
    static Server server;
    static ProxyHarness proxy;
    static ManagedChannel channel;
    static final AtomicLong streamed = new AtomicLong();

    static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(Bytes.INSTANCE)
                .setResponseMarshaller(Bytes.INSTANCE)
                .build();
    }

    static final MethodDescriptor<byte[], byte[]> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> SLOW = method("Slow", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> LIST = method("List", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> FLOOD = method("Flood", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> UPLOAD =
            method("Upload", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<byte[], byte[]> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

    @BeforeAll
    static void start() throws Exception {
        pki = new InterceptFixture();
        TestPki.Issued cert = pki.originPki.server(List.of("grpc.test"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", cert.key(), new char[0], cert.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        server = Grpc.newServerBuilderForPort(
                        0,
                        TlsServerCredentials.newBuilder()
                                .keyManager(kmf.getKeyManagers())
                                .build())
                .addService(service())
                .build()
                .start();
        proxy = ProxyHarness.startWithCa(pki.proxySettings("grpc.test=127.0.0.1"), pki.tollgateCa);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("tollgate", pki.tollgateCa.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ChannelCredentials creds = TlsChannelCredentials.newBuilder()
                .trustManager(tmf.getTrustManagers())
                .build();
        InetSocketAddress proxyAddress = new InetSocketAddress("127.0.0.1", proxy.port());
        channel = Grpc.newChannelBuilder("dns:///grpc.test:" + server.getPort(), creds)
                .proxyDetector(target -> HttpConnectProxiedSocketAddress.newBuilder()
                        .setTargetAddress((InetSocketAddress) target)
                        .setProxyAddress(proxyAddress)
                        .build())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        pki.close();
    }

    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> {
                    out.onNext(("echo:" + new String(req)).getBytes());
                    out.onCompleted();
                }))
                .addMethod(
                        FAIL,
                        ServerCalls.asyncUnaryCall((req, out) -> out.onError(Status.NOT_FOUND
                                .withDescription("no such thing: " + new String(req))
                                .asRuntimeException())))
                .addMethod(SLOW, ServerCalls.asyncUnaryCall((req, out) -> {
                    /* never answers */
                }))
                .addMethod(LIST, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    int n = Integer.parseInt(new String(req));
                    for (int i = 0; i < n; i++) {
                        out.onNext(("item" + i).getBytes());
                    }
                    out.onCompleted();
                }))
                .addMethod(FLOOD, ServerCalls.asyncServerStreamingCall(GrpcIT::flood))
                .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<byte[]>() {
                    long total;

                    @Override
                    public void onNext(byte[] v) {
                        total += v.length;
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        out.onNext(Long.toString(total).getBytes());
                        out.onCompleted();
                    }
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] v) {
                        out.onNext(("re:" + new String(v)).getBytes());
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .build();
    }

    /** Sends 50 MiB only as fast as the path lets it (isReady), counting what it handed to gRPC. */
    static void flood(byte[] req, StreamObserver<byte[]> out) {
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
        byte[] chunk = new byte[CHUNK];
        int[] sent = {0};
        call.setOnReadyHandler(() -> {
            while (call.isReady() && sent[0] < CHUNKS_50_MIB) {
                call.onNext(chunk);
                sent[0]++;
                streamed.addAndGet(CHUNK);
            }
            if (sent[0] == CHUNKS_50_MIB) {
                sent[0]++;
                call.onCompleted();
            }
        });
    }

    @Test
    void unaryCallGoesThroughOverH2OnBothLegs() throws Exception {
        byte[] answer = ClientCalls.blockingUnaryCall(
                channel, UNARY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hi".getBytes());
        assertThat(new String(answer)).isEqualTo("echo:hi");
        FlowRecord f = flowFor("/Unary");
        assertThat(f.clientVersion()).isEqualTo("HTTP/2");
        assertThat(f.upstreamVersion()).isEqualTo("HTTP/2");
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.streamId()).isPositive();
    }

    @Test
    void statusErrorAndItsMessageComeBackFromTheTrailers() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                        channel, FAIL, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "cake".getBytes()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing: cake");
                });
    }

    @Test
    void deadlineExpiresAsDeadlineExceeded() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                        channel,
                        SLOW,
                        CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS),
                        "x".getBytes()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 5000L);
    }

    @Test
    void serverStreamingDeliversEveryMessageInOrder() {
        Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(
                channel, LIST, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "500".getBytes());
        List<String> got = new ArrayList<>();
        it.forEachRemaining(b -> got.add(new String(b)));
        assertThat(got).hasSize(500).startsWith("item0", "item1").endsWith("item499");
    }

    @Test
    void clientStreamingSumsEveryUploadedByte() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        StreamObserver<byte[]> up = ClientCalls.asyncClientStreamingCall(
                channel.newCall(UPLOAD, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)), observer(result));
        for (int i = 0; i < 64; i++) {
            up.onNext(new byte[16 * 1024]);
        }
        up.onCompleted();
        assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(Long.toString(64L * 16 * 1024));
    }

    @Test
    void bidirectionalStreamingAnswersEachMessageWhileTheCallIsOpen() throws Exception {
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<byte[]> chat = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(CHAT, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] v) {
                        replies.add(new String(v));
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (int i = 0; i < 20; i++) {
            chat.onNext(("m" + i).getBytes());
            // each reply arrives before the next message is sent: the call is interactive, not buffered
            assertThat(replies.poll(10, TimeUnit.SECONDS)).isEqualTo("re:m" + i);
        }
        chat.onCompleted();
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void fiftyMebibyteStreamIsHeldBackByAStoppedReaderInsteadOfBuffered() throws Exception {
        streamed.set(0);
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ClientCallStreamObserver<byte[]>[] call = new ClientCallStreamObserver[1];
        ClientCalls.asyncServerStreamingCall(
                channel.newCall(FLOOD, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
                new byte[0],
                new ClientResponseObserver<byte[], byte[]>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<byte[]> c) {
                        call[0] = c;
                        c.disableAutoRequestWithInitial(16); // the reader stops after 1 MiB
                    }

                    @Override
                    public void onNext(byte[] v) {
                        received.addAndGet(v.length);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        // wait until the sender is held back: what it has sent stops growing
        long last = -1;
        for (int stable = 0; stable < 5; ) {
            long now = streamed.get();
            stable = now == last && now > 0 ? stable + 1 : 0;
            last = now;
            Thread.sleep(100); // polling interval while the sender settles, not a synchronisation
        }
        long inFlight = streamed.get() - received.get();
        // windows of two h2 legs and the socket buffers; far from the 50 MiB a buffering proxy would take
        assertThat(inFlight).isLessThan(16L * 1024 * 1024);
        call[0].request(Integer.MAX_VALUE);
        done.get(60, TimeUnit.SECONDS);
        assertThat(received.get()).isEqualTo((long) CHUNK * CHUNKS_50_MIB);
    }

    private static FlowRecord flowFor(String pathEnd) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            FlowRecord f = proxy.nextFlow();
            if (f.url() != null && f.url().endsWith(pathEnd)) {
                return f;
            }
        }
        throw new AssertionError("no flow for " + pathEnd);
    }

    private static StreamObserver<byte[]> observer(CompletableFuture<String> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] v) {
                result.complete(new String(v));
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        };
    }

    enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
