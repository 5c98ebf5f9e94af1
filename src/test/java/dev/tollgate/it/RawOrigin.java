package dev.tollgate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An origin that speaks raw bytes on loopback, for what a regular server can't be made to do
 * (trailers, 101, hanging, resets). Each connection runs {@code script} on its own thread.
 */
public final class RawOrigin implements AutoCloseable {
    public interface Script {
        void run(Socket s) throws Exception;
    }

    private final ServerSocket server;
    public final List<Socket> accepted = new CopyOnWriteArrayList<>();

    public RawOrigin(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket s = server.accept();
                            accepted.add(s);
                            Thread t = new Thread(
                                    () -> {
                                        try (s) {
                                            script.run(s);
                                        } catch (Exception ignored) {
                                            // the script's peer went away: that is what several tests do
                                        }
                                    },
                                    "raw-origin-conn");
                            t.setDaemon(true);
                            t.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "raw-origin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Reads a request head (through the blank line) as text. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2))
                    ? state + 1
                    : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    public static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
