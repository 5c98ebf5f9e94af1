package dev.tollgate.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Why a client's TLS handshake failed, worded for the fix, for either certificate the proxy shows. */
class ClientHandshakeFailuresTest {

    @Test
    void clientThatDoesNotTrustTheCaIsToldToInstallItNamingTheCertificateShown() {
        Throwable alert = new DecoderException(new SSLHandshakeException("Received fatal alert: unknown_ca"));
        assertThat(ClientHandshakeFailures.describe(alert, ClientHandshakeFailures.FORGED_LEAF))
                .startsWith("the client rejected the forged certificate (Received fatal alert: unknown_ca)")
                .endsWith("install certs/ca.pem in its trust store");
        assertThat(ClientHandshakeFailures.describe(alert, ClientHandshakeFailures.PROXY_CERTIFICATE))
                .startsWith("the client rejected the proxy's own certificate");
    }

    @Test
    void tls13ClientAbortingWithAPlaintextAlertGetsTheSameAdvice() {
        Throwable garbled =
                new SSLHandshakeException("error:1e000065:Cipher functions:OPENSSL_internal:BAD_PACKET_LENGTH");
        assertThat(ClientHandshakeFailures.describe(garbled, ClientHandshakeFailures.PROXY_CERTIFICATE))
                .contains("when they reject the proxy's own certificate")
                .contains("install certs/ca.pem");
    }

    @Test
    void clientThatLeftOrStalledIsNotToldAboutTheCa() {
        assertThat(ClientHandshakeFailures.describe(new ClosedChannelException(), ClientHandshakeFailures.FORGED_LEAF))
                .isEqualTo("client closed the connection during the TLS handshake");
        assertThat(ClientHandshakeFailures.describe(
                        new SslHandshakeTimeoutException("handshake timed out after 10000ms"),
                        ClientHandshakeFailures.FORGED_LEAF))
                .startsWith("client TLS handshake timed out");
    }

    @Test
    void onlyARejectionOfTheCertificateCountsTowardsAutoPassthrough() {
        assertThat(ClientHandshakeFailures.rejected(
                        new DecoderException(new SSLHandshakeException("Received fatal alert: certificate_unknown"))))
                .isTrue();
        assertThat(ClientHandshakeFailures.rejected(new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isTrue();
        assertThat(ClientHandshakeFailures.rejected(new SSLHandshakeException(
                        "error:1e000065:Cipher functions:OPENSSL_internal:BAD_PACKET_LENGTH")))
                .isTrue();
        assertThat(ClientHandshakeFailures.rejected(new ClosedChannelException()))
                .isFalse();
        assertThat(ClientHandshakeFailures.rejected(new SslHandshakeTimeoutException("handshake timed out")))
                .isFalse();
        assertThat(ClientHandshakeFailures.rejected(new SSLHandshakeException("no cipher suites in common")))
                .isFalse();
    }
}
