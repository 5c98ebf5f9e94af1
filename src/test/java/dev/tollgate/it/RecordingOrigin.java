package dev.tollgate.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that records every byte each connection brings, as it arrives, and answers the
 * first request head of a connection with a short 200 and {@code Connection: close}.
 *
 * <p>To prove that a request never reached it, a test makes a marker request last, through the
 * same proxy, and asks for what came before it ({@link #receivedBefore}). A request the proxy
 * had relayed would have been sent before the proxy's answer that the test already read, so its
 * connection was accepted before the marker's; waiting for the marker and for every other
 * connection to end therefore polls for exactly what a fixed sleep used to guess at.
 */
final class RecordingOrigin implements AutoCloseable {
    /** A connection the proxy opened and leaves open ends after this long without a byte. */
    private static final int IDLE_MILLIS = 1500;

    private static final class Received {
        private final StringBuffer bytes = new StringBuffer();
        private volatile boolean ended;

        private void add(byte[] b, int n) {
            bytes.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    private final Map<Socket, Received> received = new ConcurrentHashMap<>();
    private final AtomicInteger markers = new AtomicInteger();
    private final RawOrigin raw;
    /** Connections accepted before this index are a previous test's. */
    private volatile int from;

    RecordingOrigin() throws IOException {
        raw = new RawOrigin(s -> {
            Received r = new Received();
            received.put(s, r);
            try {
                s.setSoTimeout(IDLE_MILLIS);
                InputStream in = s.getInputStream();
                String head = RawOrigin.readHead(in);
                r.bytes.append(head);
                if (head.endsWith("\r\n\r\n")) {
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                }
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    r.add(buf, n);
                }
            } catch (SocketTimeoutException e) {
                // the proxy kept the connection open without sending more: it has ended for us
            } finally {
                r.ended = true;
            }
        });
    }

    int port() {
        return raw.port();
    }

    /** Forgets the connections so far: what a test asks for next starts here. */
    void clear() {
        from = raw.accepted.size();
    }

    /**
     * Makes a marker request through the proxy on {@code proxyPort}, waits until it arrived and
     * every other connection since {@link #clear} has ended, and returns what each of those other
     * connections brought, in the order they were accepted.
     */
    List<String> receivedBefore(int proxyPort) throws IOException {
        String marker = "/marker-" + markers.incrementAndGet();
        try (ProxySocket s = new ProxySocket(proxyPort)) {
            s.send("GET http://127.0.0.1:" + port() + marker + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .readToEnd();
        }
        String markerLine = "GET " + marker + " ";
        List<Received> since = await("the marker request at the origin, and every other connection ended")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        this::sinceClear,
                        list -> list.stream().anyMatch(r -> r.bytes.indexOf(markerLine) >= 0)
                                && list.stream().allMatch(r -> r.ended || r.bytes.indexOf(markerLine) >= 0));
        clear();
        return since.stream()
                .map(r -> r.bytes.toString())
                .filter(text -> !text.contains(markerLine))
                .toList();
    }

    /** The connections since {@link #clear}, once each has its record (its thread may start late). */
    private List<Received> sinceClear() {
        List<Socket> all = List.copyOf(raw.accepted);
        List<Socket> sockets = all.subList(from, all.size());
        List<Received> out = new ArrayList<>();
        for (Socket s : sockets) {
            Received r = received.get(s);
            if (r == null) {
                return List.of();
            }
            out.add(r);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
