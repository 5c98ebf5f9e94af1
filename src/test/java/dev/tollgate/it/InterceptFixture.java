package dev.tollgate.it;

import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PKI of an interception test, all made at test time: Tollgate's CA (what clients trust),
 * an origin CA (what Tollgate trusts upstream via --upstream-trust), and origins with good and
 * bad certificates.
 */
final class InterceptFixture implements AutoCloseable {
    final CertificateAuthority tollgateCa;
    final TestPki originPki;
    final Path dir;
    final Path tollgateCaPem;
    final Path originCaPem;

    InterceptFixture() throws Exception {
        tollgateCa = CaGenerator.generate("Tollgate Test CA", KeyKind.EC256, 30);
        originPki = new TestPki("Origin Test CA");
        dir = Files.createTempDirectory("tollgate-it");
        tollgateCaPem = dir.resolve("tollgate-ca.pem");
        Files.writeString(tollgateCaPem, tollgateCa.certificatePem());
        originCaPem = originPki.writeCaPem(dir.resolve("origin-ca.pem"));
    }

    /** Settings for a proxy that trusts the origin CA and resolves the given names to loopback. */
    Map<String, Object> proxySettings(String hosts) {
        return Map.of("upstreamTrust", originCaPem.toString(), "hosts", hosts);
    }

    static SSLContext trusting(X509Certificate... cas) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < cas.length; i++) {
            ks.setCertificateEntry("ca" + i, cas[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A JDK client through the proxy that trusts only Tollgate's CA, as a cluster node would. */
    HttpClient client(ProxyHarness proxy) throws Exception {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .sslContext(trusting(tollgateCa.certificate()))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    TlsOrigin origin(List<String> names, String label) throws Exception {
        return new TlsOrigin(originPki.server(names), label);
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
