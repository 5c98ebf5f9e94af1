package dev.tollgate.it;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on loopback (the JDK's server), recording what reached it:
 * <ul>
 *   <li>{@code /echo} — 200, the request body back, request headers echoed as {@code X-Got-*}</li>
 *   <li>{@code /bytes/N} — N pseudo-random bytes (Content-Length)</li>
 *   <li>{@code /stream/N} — N bytes, chunked</li>
 *   <li>{@code /sha256} — consumes the request body, answers its SHA-256 and length</li>
 *   <li>{@code /status/N} — an empty answer with status N</li>
 *   <li>{@code /slow/MS} — answers after MS milliseconds</li>
 * </ul>
 */
public final class TestOrigin implements AutoCloseable {
    private final HttpServer server;
    public final List<Headers> requestHeaders = new CopyOnWriteArrayList<>();
    public final List<String> requestLines = new CopyOnWriteArrayList<>();
    public final Map<String, Boolean> remotePorts = new ConcurrentHashMap<>();
    public final AtomicInteger requests = new AtomicInteger();

    public TestOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-origin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** How many distinct client connections (upstream connections of the proxy) it has seen. */
    public int connections() {
        return remotePorts.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        requestHeaders.add(ex.getRequestHeaders());
        requestLines.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        remotePorts.put(String.valueOf(ex.getRemoteAddress().getPort()), true);
        String[] parts = ex.getRequestURI().getPath().split("/");
        String what = parts.length > 1 ? parts[1] : "";
        try (ex) {
            switch (what) {
                case "echo" -> echo(ex);
                case "bytes" -> bytes(ex, Long.parseLong(parts[2]), false);
                case "stream" -> bytes(ex, Long.parseLong(parts[2]), true);
                case "sha256" -> sha256(ex);
                case "status" -> status(ex, Integer.parseInt(parts[2]));
                case "slow" -> slow(ex, Long.parseLong(parts[2]));
                default -> status(ex, 404);
            }
        }
    }

    private void echo(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        ex.getRequestHeaders().forEach((k, v) -> ex.getResponseHeaders().put("X-Got-" + k, v));
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private void bytes(HttpExchange ex, long n, boolean chunked) throws IOException {
        ex.sendResponseHeaders(200, chunked ? 0 : (n == 0 ? -1 : n));
        byte[] block = pattern(64 * 1024);
        OutputStream out = ex.getResponseBody();
        for (long left = n; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

    private void sha256(HttpExchange ex) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            InputStream in = ex.getRequestBody();
            for (int n; (n = in.read(buf)) > 0; total += n) {
                md.update(buf, 0, n);
            }
            byte[] answer = (HexFormat.of().formatHex(md.digest()) + " " + total).getBytes();
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private void status(HttpExchange ex, int status) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, -1);
    }

    private void slow(HttpExchange ex, long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = "slow done".getBytes();
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
