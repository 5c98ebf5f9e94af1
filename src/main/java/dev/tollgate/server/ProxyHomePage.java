package dev.tollgate.server;

import dev.tollgate.config.HostPort;
import dev.tollgate.http.LocalResponder;
import dev.tollgate.net.Channels;
import dev.tollgate.policy.IpLiteral;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * What a browser pointed straight at the proxy port gets: what this is and how to use it, with
 * the address this client reached (not the 0.0.0.0 the proxy listens on). Never relayed anywhere.
 */
final class ProxyHomePage implements LocalResponder {
    private final String version;
    private final HostPort admin;

    /** @param admin the admin listener's address, or null when it is off */
    ProxyHomePage(String version, HostPort admin) {
        this.version = version;
        this.admin = admin;
    }

    static String text(String version, String reached, String caPage) {
        return "Tollgate " + version + " forward proxy\n\n"
                + "This is an HTTP proxy, not a web server. Point clients at it:\n"
                + "  export http_proxy=http://" + reached + "\n"
                + "  export https_proxy=http://" + reached + "\n"
                + "  export no_proxy=localhost,127.0.0.1,.svc,.cluster.local\n\n"
                + "To let clients trust intercepted HTTPS, install the proxy's CA certificate\n"
                + "(certs/ca.pem on the proxy host, or `tollgate ca export`)"
                + (caPage == null ? ".\n" : ";\nhow to, for each platform: " + caPage + "\n");
    }

    /** The admin listener's CA page as this client can reach it: a wildcard bind means the address it reached. */
    private String caPage(SocketAddress reached) {
        if (admin == null) {
            return null;
        }
        boolean wildcard = admin.host().equals("0.0.0.0")
                || admin.host().equals("::")
                || admin.host().isEmpty();
        String host = wildcard && reached instanceof InetSocketAddress a
                ? IpLiteral.bracketed(a.getAddress().getHostAddress())
                : IpLiteral.bracketed(admin.host());
        return "http://" + host + ":" + admin.port() + "/ca";
    }

    @Override
    public FullHttpResponse respond(ByteBufAllocator alloc, HttpRequest request, SocketAddress reached) {
        String text = text(version, Channels.addressOf(reached), caPage(reached));
        ByteBuf body = alloc.buffer(text.length());
        body.writeCharSequence(text, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }
}
