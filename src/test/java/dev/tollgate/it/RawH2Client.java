package dev.tollgate.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately raw HTTP/2 client for hostile input: CONNECT through the proxy, TLS with ALPN
 * h2 trusting Tollgate's CA, then frames written one by one with Netty's frame writer (or by
 * hand, for what a well-behaved writer refuses to produce), and frames read back by hand.
 */
final class RawH2Client implements AutoCloseable {
    /** A frame read from the proxy: type, flags, stream, and for RST_STREAM/GOAWAY the error code. */
    record Frame(int type, int flags, int stream, long errorCode) {
        static final int RST_STREAM = 0x3;
        static final int GOAWAY = 0x7;
    }

    private final ProxySocket proxy;
    private final SSLSocket tls;
    private final OutputStream out;
    private final DataInputStream in;
    private final EmbeddedChannel sink = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = sink.pipeline().firstContext();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final String authority;
    long bytesSent;

    RawH2Client(int proxyPort, String host, int port, X509Certificate ca) throws Exception {
        this(proxyPort, host, port, ca, new Http2Settings(), 0);
    }

    /** @param receiveBuffer a fixed socket receive buffer, or 0 for the system's (autotuned, up to megabytes) */
    RawH2Client(int proxyPort, String host, int port, X509Certificate ca, Http2Settings settings, int receiveBuffer)
            throws Exception {
        authority = host + ":" + port;
        proxy = receiveBuffer > 0 ? new ProxySocket(proxyPort, receiveBuffer) : new ProxySocket(proxyPort);
        proxy.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        if (!proxy.readHead().startsWith("HTTP/1.1 200")) {
            throw new IOException("CONNECT refused");
        }
        tls = (SSLSocket)
                InterceptFixture.trusting(ca).getSocketFactory().createSocket(proxy.socket(), host, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        tls.setSSLParameters(params);
        tls.startHandshake();
        if (!"h2".equals(tls.getApplicationProtocol())) {
            throw new IOException("the proxy did not choose h2: " + tls.getApplicationProtocol());
        }
        tls.setSoTimeout(10_000);
        out = tls.getOutputStream();
        in = new DataInputStream(tls.getInputStream());
        send(Http2CodecUtil.connectionPrefaceBuf());
        writer.writeSettings(ctx, settings, ctx.newPromise());
        flush();
    }

    Http2Headers get(String path) {
        return new DefaultHttp2Headers()
                .method("GET")
                .scheme("https")
                .authority(authority)
                .path(path);
    }

    RawH2Client headers(int stream, String path, boolean endStream) {
        writer.writeHeaders(ctx, stream, get(path), 0, endStream, ctx.newPromise());
        return this;
    }

    /** A request with one extra header. */
    RawH2Client headers(int stream, String path, boolean endStream, String name, String value) {
        writer.writeHeaders(ctx, stream, get(path).add(name, value), 0, endStream, ctx.newPromise());
        return this;
    }

    RawH2Client reset(int stream, long code) {
        writer.writeRstStream(ctx, stream, code, ctx.newPromise());
        return this;
    }

    /** A frame with any type, flags and payload, for what the frame writer will not write. */
    RawH2Client frame(int type, int flags, int stream, byte[] payload) {
        ByteBuf b = Unpooled.buffer(9 + payload.length);
        b.writeMedium(payload.length)
                .writeByte(type)
                .writeByte(flags)
                .writeInt(stream)
                .writeBytes(payload);
        sink.writeOutbound(b);
        return this;
    }

    void flush() throws IOException {
        sink.flushOutbound();
        for (Object o; (o = sink.readOutbound()) != null; ) {
            send((ByteBuf) o);
        }
        out.flush();
    }

    private void send(ByteBuf b) throws IOException {
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.write(bytes);
            bytesSent += bytes.length;
        } finally {
            b.release();
        }
    }

    /** The next frame, or null when the proxy closed the connection (or went quiet for 10 s). */
    Frame next() throws IOException {
        try {
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            ByteBuf p = Unpooled.wrappedBuffer(payload);
            long code = type == Frame.RST_STREAM
                    ? p.readUnsignedInt()
                    : type == Frame.GOAWAY ? p.skipBytes(4).readUnsignedInt() : -1;
            return new Frame(type, flags, stream, code);
        } catch (EOFException | SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null; // reset by the proxy
        }
    }

    /** Reads until a frame of {@code type} (on {@code stream}, or any when negative) arrives; null when none did. */
    Frame await(int type, int stream) throws IOException {
        for (Frame f; (f = next()) != null; ) {
            if (f.type() == type && (stream < 0 || f.stream() == stream)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        sink.finishAndReleaseAll();
        proxy.close();
    }
}
