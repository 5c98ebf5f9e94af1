package dev.tollgate.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowLineTest {

    private static FlowRecord ended(Flow f) {
        f.end();
        return f.snapshot();
    }

    @Test
    void aRedirectedFlowSaysItCameInTransparently() {
        Flow f = new Flows(List.of())
                .open("10.203.0.2:5000")
                .via("transparent")
                .request("GET", "http://a.test/")
                .mode(FlowMode.INTERCEPT)
                .status(200);
        assertThat(FlowLine.of(ended(f))).contains(" via=transparent");
        assertThat(FlowLine.of(ended(new Flows(List.of()).open("127.0.0.1:1").request("GET", "http://a.test/"))))
                .doesNotContain("via=");
    }

    @Test
    void anInterceptedFlowShowsBothTlsLegsAndTheOriginCertificate() {
        Flow f = new Flows(List.of())
                .open("127.0.0.1:5000")
                .request("GET", "https://a.test/x")
                .mode(FlowMode.INTERCEPT)
                .upstream("127.0.0.1:443")
                .status(200)
                .clientVersion("HTTP/2")
                .upstreamVersion("HTTP/1.1")
                .streamId(3);
        f.tls()
                .sni("a.test")
                .clientSide("TLSv1.3", "TLS_AES_128_GCM_SHA256")
                .alpn("h2")
                .upstreamSide("TLSv1.3", "TLS_AES_256_GCM_SHA384")
                .upstreamSubject("CN=a.test");
        String line = FlowLine.of(ended(f));
        assertThat(line)
                .startsWith("127.0.0.1:5000 GET https://a.test/x intercept 127.0.0.1:443 200 up=0 down=0 ")
                .contains(" http=HTTP/2>HTTP/1.1 stream=3")
                .contains(" sni=a.test client-tls=TLSv1.3/TLS_AES_128_GCM_SHA256/h2")
                .contains(" origin-tls=TLSv1.3/TLS_AES_256_GCM_SHA384 origin-cert=\"CN=a.test\"");
    }

    @Test
    void everyFlowIsMarkedWhileTheKeyLogIsOn() {
        Flows flows = new Flows(List.of());
        FlowRecord before = ended(flows.open("c:1").request("GET", "http://a.test/"));
        flows.markKeyLog();
        FlowRecord plain = ended(flows.open("c:2").request("GET", "http://a.test/"));
        assertThat(before.keyLog()).isFalse();
        assertThat(FlowLine.of(before)).doesNotContain("keylog");
        assertThat(plain.keyLog()).isTrue();
        assertThat(FlowLine.of(plain)).endsWith(" keylog=on");
        Map<String, Object> fields = new LinkedHashMap<>();
        FlowFields.each(plain, fields::put);
        assertThat(fields).containsEntry("keylog", "on");
    }

    @Test
    void aPlainFlowStaysShort() {
        Flow f = new Flows(List.of())
                .open("c:1")
                .request("GET", "http://a.test/")
                .mode(FlowMode.FORWARD)
                .clientVersion("HTTP/1.1")
                .upstreamVersion("HTTP/1.1")
                .status(200);
        assertThat(FlowLine.of(ended(f))).matches("c:1 GET http://a\\.test/ forward - 200 up=0 down=0 \\d+ms");
    }

    @Test
    void theJsonFieldsNameModeAndVersionsAndLeaveOutWhatIsUnknown() {
        Flow f = new Flows(List.of())
                .open("c:1")
                .request("GET", "http://a.test/?sig=S")
                .mode(FlowMode.FORWARD)
                .clientVersion("HTTP/1.0");
        Map<String, Object> fields = new LinkedHashMap<>();
        FlowFields.each(ended(f), fields::put);
        assertThat(fields)
                .containsEntry("mode", "forward")
                .containsEntry("clientHttp", "HTTP/1.0")
                .containsEntry("url", "http://a.test/?sig=REDACTED")
                .containsKey("id")
                .doesNotContainKeys("status", "upstream", "sni", "stream", "firstByteMs");
    }
}
