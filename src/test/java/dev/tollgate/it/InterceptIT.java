package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.FlowRecord;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS interception end to end: forged leaves clients accept, verified upstream TLS, HTTP inside. */
class InterceptIT {
    static InterceptFixture pki;
    static TlsOrigin good;
    static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        pki = new InterceptFixture();
        good = pki.origin(List.of("origin.test", "alias.test", "*.many.test", "127.0.0.1"), "good");
        String many = IntStream.range(0, 200)
                .mapToObj(i -> "h" + i + ".many.test=127.0.0.1")
                .collect(Collectors.joining(","));
        proxy = ProxyHarness.startWithCa(
                pki.proxySettings("origin.test=127.0.0.1,alias.test=127.0.0.1," + many), pki.tollgateCa);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        good.close();
        pki.close();
    }

    @Test
    void jdkClientGetsTheOriginThroughAForgedLeaf() throws Exception {
        HttpResponse<String> r = pki.client(proxy)
                .send(
                        HttpRequest.newBuilder(URI.create("https://origin.test:" + good.port() + "/path?q=1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from good host=origin.test:" + good.port());
        assertThat(r.headers().firstValue("via")).hasValue("1.1 tollgate");
        FlowRecord f = proxy.awaitFlow(
                flow -> flow.url().equals("https://origin.test:" + good.port() + "/path?q=1"), "the intercepted GET");
        assertThat(f.mode()).isEqualTo(FlowMode.INTERCEPT);
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.tls().sni()).isEqualTo("origin.test");
        assertThat(f.tls().clientProtocol()).startsWith("TLSv1.");
        assertThat(f.tls().upstreamProtocol()).startsWith("TLSv1.");
        assertThat(f.tls().upstreamSubject()).isEqualTo("CN=origin.test");
    }

    @Test
    void clientLeavingAfterTheHandshakeWithoutARequestStillLeavesAFlow() throws Exception {
        try (ProxySocket s = new ProxySocket(proxy.port())) {
            s.send("CONNECT origin.test:" + good.port() + " HTTP/1.1\r\nHost: origin.test:" + good.port() + "\r\n\r\n");
            assertThat(s.readHead()).startsWith("HTTP/1.1 200");
            SSLSocket tls = (SSLSocket) InterceptFixture.trusting(pki.tollgateCa.certificate())
                    .getSocketFactory()
                    .createSocket(s.socket(), "origin.test", good.port(), true);
            tls.startHandshake();
            tls.close();
        }
        FlowRecord f = proxy.awaitFlow(flow -> "CONNECT".equals(flow.method()), "the CONNECT without a request");
        assertThat(f.url()).isEqualTo("origin.test:" + good.port());
        assertThat(f.mode()).isEqualTo(FlowMode.INTERCEPT);
        assertThat(f.tls().sni()).isEqualTo("origin.test");
        assertThat(f.error()).contains("without sending a request inside it");
    }

    @Test
    void curlTrustingTheCaGetsThroughAndSeesTheForgedChain() throws Exception {
        Curl.Result r = Curl.run(
                Map.of("https_proxy", proxy.url()),
                "--cacert",
                pki.tollgateCaPem.toString(),
                "-w",
                "\n%{certs}",
                "https://alias.test:" + good.port() + "/x");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("hello from good host=alias.test:" + good.port() + "\n");
        List<X509Certificate> chain = pemCertificates(r.stdout());
        assertThat(chain).as("the chain curl was shown").isNotEmpty();
        X509Certificate leaf = chain.get(0);
        X509Certificate ca = pki.tollgateCa.certificate();
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        leaf.verify(ca.getPublicKey()); // signed by the Tollgate CA, not merely named after it
        assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(2, "alias.test")); // 2: dNSName
    }

    private static List<X509Certificate> pemCertificates(String text) throws CertificateException {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        Matcher pem = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL)
                .matcher(text);
        while (pem.find()) {
            out.add((X509Certificate) x509.generateCertificate(
                    new ByteArrayInputStream(pem.group().getBytes(StandardCharsets.US_ASCII))));
        }
        return out;
    }

    @Test
    void tlsToTheProxyItselfWithTlsInside() throws Exception {
        String proxyUrl = "https://127.0.0.1:" + proxy.port();
        Curl.Result r = Curl.run(
                Map.of(),
                "--proxy",
                proxyUrl,
                "--proxy-cacert",
                pki.tollgateCaPem.toString(),
                "--cacert",
                pki.tollgateCaPem.toString(),
                "https://origin.test:" + good.port() + "/in");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello from good host=origin.test:" + good.port());
        Curl.Result plain = Curl.run(
                Map.of(),
                "--proxy",
                proxyUrl,
                "--proxy-cacert",
                pki.tollgateCaPem.toString(),
                "-D",
                "-",
                "-o",
                "/dev/null",
                "http://127.0.0.1:" + proxy.port() + "/");
        assertThat(plain.exit()).as(plain.stderr()).isZero();
        assertThat(plain.stdout()).startsWith("HTTP/1.1 200");
    }

    @Test
    void clientOfferingH2IsAnsweredWithHttp11() throws Exception {
        Curl.Result r = Curl.run(
                Map.of("https_proxy", proxy.url()),
                "--http2",
                "--cacert",
                pki.tollgateCaPem.toString(),
                "-o",
                "/dev/null",
                "-w",
                "%{http_version}",
                "https://origin.test:" + good.port() + "/");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("1.1");
        FlowRecord f =
                proxy.awaitFlow(flow -> flow.url().equals("https://origin.test:" + good.port() + "/"), "the h2 offer");
        assertThat(f.tls().alpn()).isEqualTo("http/1.1");
    }

    @Test
    void twoHundredNamesInARowEachGetACorrectCertificate() throws Exception {
        HttpClient client = pki.client(proxy);
        for (int i = 0; i < 200; i++) {
            String host = "h" + i + ".many.test";
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("https://" + host + ":" + good.port() + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(host).isEqualTo(200);
            assertThat(r.body()).as(host).endsWith("host=" + host + ":" + good.port());
            var leaf = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(leaf.getSubjectAlternativeNames())
                    .as(host)
                    .anyMatch(san -> san.get(1).equals(host));
        }
    }
}
