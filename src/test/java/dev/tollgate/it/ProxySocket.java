package dev.tollgate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw client socket to the proxy, for what HTTP client libraries won't send. */
public final class ProxySocket implements AutoCloseable {
    private final Socket socket;

    public ProxySocket(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
    }

    /** With a small fixed receive buffer: what the proxy sends a client that does not read piles up in the proxy. */
    public ProxySocket(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout(10_000);
    }

    public ProxySocket send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    public Socket socket() {
        return socket;
    }

    public InputStream in() throws IOException {
        return socket.getInputStream();
    }

    /** One response head, through the blank line. */
    public String readHead() throws IOException {
        return RawOrigin.readHead(socket.getInputStream());
    }

    /** Exactly {@code n} bytes of body. */
    public String readBytes(int n) throws IOException {
        return new String(socket.getInputStream().readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    /** Everything until the proxy closes the connection. */
    public String readToEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
