package dev.tollgate.it;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** A real HTTPS origin on loopback: answers every path with "hello from NAME" and echoes the Host it got. */
public final class TlsOrigin implements AutoCloseable {
    private final HttpsServer server;

    public TlsOrigin(TestPki.Issued cert, String name) throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tls-origin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            byte[] body =
                    ("hello from " + name + " host=" + ex.getRequestHeaders().getFirst("Host")).getBytes();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
