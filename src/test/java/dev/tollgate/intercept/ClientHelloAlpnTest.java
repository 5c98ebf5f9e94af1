package dev.tollgate.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Real ClientHellos from the JDK's TLS engine, read the way LeafSniHandler gets them. */
class ClientHelloAlpnTest {
    /** The ClientHello body of a JDK client offering {@code protocols} (none: no ALPN extension). */
    static ByteBuf helloOffering(String... protocols) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("origin.test", 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        if (protocols.length > 0) {
            params.setApplicationProtocols(protocols);
        }
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        ByteBuf record = Unpooled.wrappedBuffer(out);
        // a TLS record header (5 bytes), then the handshake header (4): the body follows
        return record.slice(9, record.getMedium(6));
    }

    @Test
    void h2InTheAlpnListIsSeenWhereverItStands() throws Exception {
        assertThat(ClientHelloAlpn.offersH2(helloOffering("h2", "http/1.1"))).isTrue();
        assertThat(ClientHelloAlpn.offersH2(helloOffering("http/1.1", "h2"))).isTrue();
    }

    @Test
    void aClientOfferingOnlyHttp11OrNoAlpnDoesNotOfferH2() throws Exception {
        assertThat(ClientHelloAlpn.offersH2(helloOffering("http/1.1"))).isFalse();
        assertThat(ClientHelloAlpn.offersH2(helloOffering("h2c", "spdy/3"))).isFalse();
        assertThat(ClientHelloAlpn.offersH2(helloOffering())).isFalse();
    }

    @Test
    void aTruncatedOrMissingHelloIsReadWithoutFailingAndNeverAsH2BeforeItsExtensions() throws Exception {
        ByteBuf whole = helloOffering("h2");
        int extensionsAt = 34 + 1 + whole.getUnsignedByte(34); // version, random, session id
        extensionsAt += 2 + whole.getUnsignedShort(extensionsAt); // cipher suites
        extensionsAt += 1 + whole.getUnsignedByte(extensionsAt); // compression methods
        for (int cut = 0; cut < whole.readableBytes(); cut++) {
            boolean h2 = ClientHelloAlpn.offersH2(whole.slice(0, cut));
            if (cut <= extensionsAt + 2) {
                assertThat(h2).as("cut at %d", cut).isFalse();
            }
        }
        assertThat(ClientHelloAlpn.offersH2(null)).isFalse();
        assertThat(ClientHelloAlpn.offersH2(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})))
                .isFalse();
    }
}
