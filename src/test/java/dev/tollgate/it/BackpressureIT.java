package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Streaming with backpressure both ways: while one side stalls, the proxy stops reading from
 * the other, so what the fast side manages to push is bounded by socket buffers and the
 * channels' write-buffer marks, not by the body size (a 1 GiB body is offered either way).
 */
class BackpressureIT {
    private static final long GIB = 1L << 30;
    /** Kernel socket buffers on loopback (both legs) plus Netty's marks; far below the body. */
    private static final long BOUND = 48L << 20;
    /**
     * How long a byte count must stay put to count as stalled. Without backpressure the fast
     * side moves ~1 GB/s on loopback, so it would pass BOUND long before this.
     */
    private static final Duration QUIET = Duration.ofMillis(500);

    /**
     * Polls {@code bytes} until it has not moved for {@link #QUIET}, once past the 1 MiB the other
     * side took (so a side that has not started yet does not count as stalled); fails as soon as it
     * passes BOUND.
     */
    private static long stalledAt(AtomicLong bytes, String what) {
        long[] last = {bytes.get()};
        long[] since = {System.nanoTime()};
        await(what + " stops")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .failFast(what + " passed " + (BOUND >> 20) + " MiB", () -> bytes.get() >= BOUND)
                .until(() -> {
                    long now = bytes.get();
                    if (now != last[0]) {
                        last[0] = now;
                        since[0] = System.nanoTime();
                    }
                    return now >= 1 << 20 && System.nanoTime() - since[0] >= QUIET.toNanos();
                });
        return last[0];
    }

    @Test
    void stalledDownloadStopsTheOriginFromSendingMore() throws Exception {
        AtomicLong written = new AtomicLong();
        try (RawOrigin origin = new RawOrigin(s -> {
                    RawOrigin.readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + GIB + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] block = new byte[64 * 1024];
                    for (long left = GIB; left > 0; left -= block.length) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                });
                ProxyHarness proxy = ProxyHarness.start(Map.of());
                ProxySocket client = new ProxySocket(proxy.port())) {
            client.send("GET http://127.0.0.1:" + origin.port() + "/big HTTP/1.1\r\nHost: x\r\n\r\n");
            client.readHead();
            client.in().readNBytes(1 << 20); // read 1 MiB, then stall
            long stalled = stalledAt(written, "the origin's writing while the client stalls");
            assertThat(stalled).isLessThan(BOUND);
            System.out.println("BackpressureIT download: origin wrote " + (stalled >> 20)
                    + " MiB while the client had read 1 MiB");
        }
    }

    /** The blind relay reads with AUTO_READ on: it must still switch reading off while the client stalls. */
    @Test
    void stalledTunnelClientStopsTheOriginFromSendingMore() throws Exception {
        AtomicLong written = new AtomicLong();
        try (RawOrigin origin = new RawOrigin(s -> {
                    OutputStream out = s.getOutputStream();
                    byte[] block = new byte[64 * 1024];
                    for (long left = GIB; left > 0; left -= block.length) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                });
                ProxyHarness proxy = ProxyHarness.start(Map.of("intercept", "false"));
                ProxySocket client = new ProxySocket(proxy.port())) {
            client.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n");
            assertThat(client.readHead()).startsWith("HTTP/1.1 200");
            client.in().readNBytes(1 << 20); // read 1 MiB, then stall
            long stalled = stalledAt(written, "the origin's writing while the tunnel's client stalls");
            assertThat(stalled).isLessThan(BOUND);
            // reading again resumes the relay: the origin writes on (bounded: at most 64 MiB read)
            for (int read = 0; read < 1024 && written.get() == stalled; read++) {
                client.in().readNBytes(64 * 1024);
            }
            assertThat(written.get()).isGreaterThan(stalled);
        }
    }

    @Test
    void slowOriginStopsTheClientFromUploadingMore() throws Exception {
        AtomicLong pushed = new AtomicLong();
        CountDownLatch testOver = new CountDownLatch(1);
        try (RawOrigin origin = new RawOrigin(s -> {
                    InputStream in = s.getInputStream();
                    RawOrigin.readHead(in);
                    in.readNBytes(1 << 20);
                    testOver.await(30, TimeUnit.SECONDS); // a consumer that stops reading
                });
                ProxyHarness proxy = ProxyHarness.start(Map.of());
                Socket client = new Socket("127.0.0.1", proxy.port())) {
            Thread uploader = new Thread(
                    () -> {
                        try {
                            OutputStream out = client.getOutputStream();
                            out.write(("POST http://127.0.0.1:" + origin.port()
                                            + "/up HTTP/1.1\r\nHost: x\r\nContent-Length: " + GIB + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            byte[] block = new byte[64 * 1024];
                            for (long left = GIB; left > 0; left -= block.length) {
                                out.write(block);
                                pushed.addAndGet(block.length);
                            }
                        } catch (Exception ignored) {
                            // the proxy closes when the test ends
                        }
                    },
                    "uploader");
            uploader.setDaemon(true);
            uploader.start();
            long stalled = stalledAt(pushed, "the client's upload into a stalled origin");
            assertThat(stalled).isLessThan(BOUND);
            System.out.println(
                    "BackpressureIT upload: client pushed " + (stalled >> 20) + " MiB while the origin had read 1 MiB");
        } finally {
            testOver.countDown();
        }
    }
}
