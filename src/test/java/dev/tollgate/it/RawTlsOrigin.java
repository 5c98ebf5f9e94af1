package dev.tollgate.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLServerSocket;

/** {@link RawOrigin}'s scripted bytes, over TLS with a test certificate. */
final class RawTlsOrigin implements AutoCloseable {
    private final SSLServerSocket server;

    RawTlsOrigin(TestPki.Issued cert, RawOrigin.Script script) throws Exception {
        server = (SSLServerSocket) cert.serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket s = server.accept();
                            Thread t = new Thread(
                                    () -> {
                                        try (s) {
                                            script.run(s);
                                        } catch (Exception ignored) {
                                            // the peer went away
                                        }
                                    },
                                    "raw-tls-origin-conn");
                            t.setDaemon(true);
                            t.start();
                        } catch (Exception e) {
                            return;
                        }
                    }
                },
                "raw-tls-origin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
