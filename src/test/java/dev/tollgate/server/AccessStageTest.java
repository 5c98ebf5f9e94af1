package dev.tollgate.server;

import static dev.tollgate.server.PipelineRig.ascii;
import static dev.tollgate.server.PipelineRig.stages;
import static dev.tollgate.server.PipelineRig.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.flow.FlowMode;
import dev.tollgate.net.PipelineNames;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access stage: client ACL first, then proxy credentials, before any other work; CONNECT leaves HTTP at once. */
class AccessStageTest {
    @TempDir
    Path dir;

    private PipelineRig rig;

    @AfterEach
    void close() {
        rig.close();
    }

    private EmbeddedChannel client(Map<String, Object> settings) throws Exception {
        rig = new PipelineRig(false, settings);
        EmbeddedChannel client = PipelineRig.client();
        rig.next.accepted(client);
        return client;
    }

    private Path users() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-1").digest("secret".getBytes(StandardCharsets.UTF_8));
        return Files.writeString(
                dir.resolve("users"), "alice:{SHA}" + Base64.getEncoder().encodeToString(sha) + "\n");
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void clientOutsideTheAclGets403BeforeItsCredentialsAreLookedAt() throws Exception {
        EmbeddedChannel client = client(Map.of("allowClients", "192.168.0.0/16", "proxyAuthFile", users().toString()));
        client.writeInbound(ascii("GET http://origin.test/ HTTP/1.1\r\nHost: origin.test\r\n\r\n"));
        assertThat(written(client)).startsWith("HTTP/1.1 403").contains("client 10.1.2.3 is not allowed");
        assertThat(client.isOpen()).isFalse();
        assertThat(rig.flows).singleElement().satisfies(f -> {
            assertThat(f.mode()).isEqualTo(FlowMode.DENY);
            assertThat(f.status()).isEqualTo(403);
        });
    }

    @Test
    void missingCredentialsGet407WithAChallenge() throws Exception {
        EmbeddedChannel client = client(Map.of("proxyAuthFile", users().toString()));
        client.writeInbound(ascii("GET http://origin.test/ HTTP/1.1\r\nHost: origin.test\r\n\r\n"));
        PipelineRig.runUntil(client, () -> !client.outboundMessages().isEmpty());
        assertThat(written(client))
                .startsWith("HTTP/1.1 407")
                .containsIgnoringCase("proxy-authenticate: Basic realm=\"tollgate\"");
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(407));
    }

    @Test
    void rightCredentialsPassTheRequestOnToTheForwardingStage() throws Exception {
        EmbeddedChannel client = client(Map.of("proxyAuthFile", users().toString()));
        client.writeInbound(ascii(
                "GET / HTTP/1.1\r\nHost: 10.0.0.1:8080\r\nProxy-Authorization: " + basic("alice:secret") + "\r\n\r\n"));
        PipelineRig.runUntil(client, () -> !client.outboundMessages().isEmpty());
        assertThat(written(client)).startsWith("HTTP/1.1 200").contains("Tollgate test forward proxy");
        assertThat(rig.flows)
                .singleElement()
                .satisfies(f -> assertThat(f.mode()).isEqualTo(FlowMode.LOCAL));
    }

    @Test
    void connectLeavesHttpBeforeItsCredentialsAreCheckedAndIsRefusedInRawBytes() throws Exception {
        EmbeddedChannel client = client(Map.of("proxyAuthFile", users().toString()));
        // a ClientHello-like record right behind the CONNECT must not be decoded as a second request
        client.writeInbound(ascii("CONNECT origin.test:443 HTTP/1.1\r\nProxy-Authorization: " + basic("alice:wrong")
                + "\r\n\r\n\u0016\u0003\u0001"));
        // no HTTP stage is left to decode the bytes behind the CONNECT; the tail may be gone too
        // already: an embedded loop runs the check's answer on the checking thread, at once
        assertThat(stages(client)).isSubsetOf(PipelineNames.TAIL);
        PipelineRig.runUntil(client, () -> !client.outboundMessages().isEmpty());
        assertThat(written(client)).startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n");
        assertThat(client.isOpen()).isFalse();
    }
}
