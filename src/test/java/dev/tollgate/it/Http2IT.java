package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowRecord;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/2 inside interception with real clients: both legs h2, and each leg translated to the other's version. */
class Http2IT {
    static InterceptFixture pki;
    static H2Origin h2;
    static H2Origin h1;
    static ProxyHarness proxy;

    @BeforeAll
    static void start() throws Exception {
        pki = new InterceptFixture();
        h2 = new H2Origin(pki.originPki.server(List.of("h2.test")), true);
        h1 = new H2Origin(pki.originPki.server(List.of("h1.test")), false);
        Map<String, Object> settings = new HashMap<>(
                pki.proxySettings("h2.test=127.0.0.1,h1.test=127.0.0.1,moving.test=127.0.0.1,h2only.test=127.0.0.1"));
        // the JDK client opens a CONNECT per request of a burst before it knows h2 multiplexes: on a
        // busy machine some ClientHellos come later than the 300 ms after which a silent client's
        // tunnel is taken for a server-speaks-first protocol and relayed blind
        settings.put("timeouts.clientFirstByte", "5s");
        proxy = ProxyHarness.startWithCa(settings, pki.tollgateCa);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        h2.close();
        h1.close();
        pki.close();
    }

    static HttpClient client(HttpClient.Version version) throws Exception {
        return client(proxy, pki, version);
    }

    static HttpClient client(ProxyHarness proxy, InterceptFixture pki, HttpClient.Version version) throws Exception {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .sslContext(InterceptFixture.trusting(pki.tollgateCa.certificate()))
                .version(version)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void h2ClientReachesAnH2OriginOverH2OnBothLegs() throws Exception {
        HttpResponse<String> r = client(HttpClient.Version.HTTP_2)
                .send(
                        HttpRequest.newBuilder(URI.create("https://h2.test:" + h2.port() + "/a?b=1"))
                                .POST(HttpRequest.BodyPublishers.ofString("12345"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("h2 host=h2.test:" + h2.port() + " te=null bytes=5 path=/a?b=1");
        assertThat(r.headers().firstValue("via")).hasValue("1.1 tollgate");
        FlowRecord f = proxy.awaitFlow(x -> ("https://h2.test:" + h2.port() + "/a?b=1").equals(x.url()), "the POST");
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.bytesUp()).isEqualTo(5);
        assertThat(f.clientVersion()).isEqualTo("HTTP/2");
        assertThat(f.upstreamVersion()).isEqualTo("HTTP/2");
        assertThat(f.streamId()).isPositive().isOdd();
        assertThat(f.tls().alpn()).isEqualTo("h2");
        assertThat(f.tls().upstreamAlpn()).isEqualTo("h2");
    }

    @Test
    void http11ClientReachesAnH2CapableOriginOverPooledHttp11() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_1_1);
        for (String path : List.of("/one", "/two")) {
            HttpResponse<String> r = c.send(
                    HttpRequest.newBuilder(URI.create("https://h2.test:" + h2.port() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            // the h2-capable origin answers over HTTP/1.1: the proxy offered it nothing else
            assertThat(r.body()).isEqualTo("http/1.1 host=h2.test:" + h2.port() + " te=null bytes=0 path=" + path);
        }
        FlowRecord one =
                proxy.awaitFlow(x -> x.url() != null && x.url().endsWith("h2.test:" + h2.port() + "/one"), "GET /one");
        FlowRecord two =
                proxy.awaitFlow(x -> x.url() != null && x.url().endsWith("h2.test:" + h2.port() + "/two"), "GET /two");
        assertThat(one.clientVersion()).isEqualTo("HTTP/1.1");
        assertThat(one.upstreamVersion()).isEqualTo("HTTP/1.1");
        assertThat(one.streamId()).isZero();
        assertThat(one.tls().upstreamAlpn()).isEqualTo("http/1.1");
        assertThat(two.upstreamVersion()).isEqualTo("HTTP/1.1");
        // the HTTP/1.1 connections idle in the pool now: an h2 client still gets h2 on both legs
        HttpResponse<String> r = client(HttpClient.Version.HTTP_2)
                .send(
                        HttpRequest.newBuilder(URI.create("https://h2.test:" + h2.port() + "/three"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).startsWith("h2 ");
        FlowRecord three = proxy.awaitFlow(
                x -> x.url() != null && x.url().endsWith("h2.test:" + h2.port() + "/three"), "GET /three");
        assertThat(three.upstreamVersion()).isEqualTo("HTTP/2");
    }

    @Test
    void http11ClientReachesAnOriginThatSpeaksOnlyH2() throws Exception {
        try (H2Origin only = H2Origin.h2Only(pki.originPki.server(List.of("h2only.test")))) {
            HttpClient c = client(HttpClient.Version.HTTP_1_1);
            for (String path : List.of("/first", "/again")) {
                HttpResponse<String> r = c.send(
                        HttpRequest.newBuilder(URI.create("https://h2only.test:" + only.port() + path))
                                .header("TE", "trailers")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                // translated to an h2 stream, where TE: trailers goes on to the origin
                assertThat(r.body())
                        .isEqualTo("h2 host=h2only.test:" + only.port() + " te=trailers bytes=0 path=" + path);
            }
            FlowRecord f = proxy.awaitFlow(
                    x -> x.url() != null && x.url().endsWith("h2only.test:" + only.port() + "/again"), "GET /again");
            assertThat(f.clientVersion()).isEqualTo("HTTP/1.1");
            assertThat(f.upstreamVersion()).isEqualTo("HTTP/2");
            assertThat(f.status()).isEqualTo(200);
        }
    }

    @Test
    void teTrailersReachesAnH2OriginOverAnH2LegButNotOverAnHttp11One() throws Exception {
        Map<String, HttpClient.Version> legs = Map.of(
                "https://h2.test:" + h2.port() + "/te", HttpClient.Version.HTTP_2,
                "https://h2.test:" + h2.port() + "/te1", HttpClient.Version.HTTP_1_1,
                "https://h1.test:" + h1.port() + "/te", HttpClient.Version.HTTP_1_1);
        for (Map.Entry<String, HttpClient.Version> leg : legs.entrySet()) {
            HttpResponse<String> r = client(leg.getValue())
                    .send(
                            HttpRequest.newBuilder(URI.create(leg.getKey()))
                                    .header("TE", "trailers")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            // an HTTP/1.1 client's origin leg is HTTP/1.1 too, where TE is hop-by-hop
            String te = leg.getValue() == HttpClient.Version.HTTP_2 ? " te=trailers " : " te=null ";
            assertThat(r.body()).as(leg.getKey()).contains(te);
        }
    }

    @Test
    void h2ClientToAnHttp11OnlyOriginIsOfferedHttp11() throws Exception {
        HttpResponse<String> r = client(HttpClient.Version.HTTP_2)
                .send(
                        HttpRequest.newBuilder(URI.create("https://h1.test:" + h1.port() + "/x"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).startsWith("http/1.1 host=h1.test:" + h1.port());
    }

    @Test
    void hundredConcurrentStreamsOnOneConnectionGetTheirOwnBodies() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_2);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(c.sendAsync(
                    HttpRequest.newBuilder(URI.create("https://h2.test:" + h2.port() + "/size/" + (1000 + i)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = all.get(i).get(30, TimeUnit.SECONDS);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).hasSize(1000 + i).matches("x+");
        }
    }

    @Test
    void curlHttp2SeesH2ThroughTheProxy() throws Exception {
        Curl.Result r = Curl.run(
                Map.of("https_proxy", proxy.url()),
                "--http2",
                "--cacert",
                pki.tollgateCaPem.toString(),
                "-w",
                " version=%{http_version}",
                "https://h2.test:" + h2.port() + "/curl");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("h2 host=h2.test:" + h2.port() + " te=null bytes=0 path=/curl version=2");
    }

    @Test
    void h2ClientKeepsItsConnectionWhenTheOriginRestartsSpeakingOnlyHttp11() throws Exception {
        TestPki.Issued cert = pki.originPki.server(List.of("moving.test"));
        H2Origin before = new H2Origin(cert, true);
        int port = before.port();
        HttpClient c = client(HttpClient.Version.HTTP_2);
        URI uri = URI.create("https://moving.test:" + port + "/m");
        HttpResponse<String> first = c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.body()).startsWith("h2 ");
        before.close(); // the proxy's h2 connection to it ends (GOAWAY or close)
        try (H2Origin after = new H2Origin(cert, false, port)) {
            HttpResponse<String> second =
                    c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2); // same client connection, still h2
            assertThat(second.body()).startsWith("http/1.1 host=moving.test:" + port);
        }
    }

    @Test
    void curlMultiplexesAHundredParallelTransfersOverOneH2Connection() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--http2",
                "--parallel",
                "--parallel-max",
                "100",
                "--cacert",
                pki.tollgateCaPem.toString(),
                "-w",
                "%{url_effective} %{http_version} %{size_download}\\n"));
        for (int i = 0; i < 100; i++) {
            args.addAll(List.of("-o", "/dev/null", "https://h2.test:" + h2.port() + "/size/" + (2000 + i)));
        }
        Curl.Result r = Curl.run(Map.of("https_proxy", proxy.url()), args.toArray(String[]::new));
        assertThat(r.exit()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(100).allSatisfy(line -> {
            String[] p = line.split(" ");
            assertThat(p[1]).isEqualTo("2");
            assertThat(p[0]).endsWith("/size/" + p[2]); // each body is the size its URL asked for
        });
        List<FlowRecord> flows =
                proxy.awaitFlows(100, f -> f.url() != null && f.url().contains("/size/2"), "the transfers");
        assertThat(flows).hasSize(100);
        assertThat(flows)
                .extracting(FlowRecord::client)
                .as("one client connection")
                .hasSize(100)
                .containsOnly(flows.get(0).client());
        assertThat(flows).extracting(FlowRecord::streamId).doesNotHaveDuplicates();
    }

    @Test
    void anOriginsGoAwayLetsItsStreamFinishAndSendsNewStreamsToANewConnection() throws Exception {
        try (H2Origin draining = new H2Origin(pki.originPki.server(List.of("h2.test")), true)) {
            HttpClient c = client(HttpClient.Version.HTTP_2);
            String base = "https://h2.test:" + draining.port();
            HttpResponse<String> last = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/goaway")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(last.body()).startsWith("h2 ").contains("path=/goaway");
            int before = draining.accepted.get();
            HttpResponse<String> next = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/next")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_2); // the client's own connection is untouched
            assertThat(next.body()).startsWith("h2 ").contains("path=/next");
            assertThat(draining.accepted.get())
                    .as("a new origin connection after its GOAWAY")
                    .isEqualTo(before + 1);
        }
    }
}
