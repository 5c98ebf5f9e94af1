package dev.tollgate.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.KeyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The start says which certificates upstream TLS trusts: the JDK's store and the extra bundle, with counts. */
class UpstreamTrustTest {
    @TempDir
    Path tmp;

    private final Logger logger = (Logger) LoggerFactory.getLogger(UpstreamTrust.class);
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    @BeforeEach
    void listen() {
        seen.start();
        logger.addAppender(seen);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(seen);
    }

    private List<String> messages() {
        return seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void namesTheJdkStoreAndItsCount() throws Exception {
        UpstreamTrust.of(null);
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        assertThat(messages())
                .singleElement()
                .asString()
                .containsPattern("upstream TLS trusts the JDK's .*(cacerts|jssecacerts|\\(javax.net.ssl.trustStore\\))"
                        + " \\([1-9][0-9]* certificates\\)$");
        boolean plainCacerts = !Files.exists(cacerts.resolveSibling("jssecacerts"))
                && System.getProperty("javax.net.ssl.trustStore") == null;
        if (plainCacerts) {
            assertThat(messages().get(0)).contains(cacerts.toString());
        }
    }

    @Test
    void namesTheExtraBundleAndItsCount() throws Exception {
        Path bundle = Files.writeString(
                tmp.resolve("extra.pem"),
                CaGenerator.generate("One", KeyKind.EC256, 30).certificatePem()
                        + CaGenerator.generate("Two", KeyKind.EC256, 30).certificatePem());
        UpstreamTrust.of(bundle);
        assertThat(messages())
                .singleElement()
                .asString()
                .containsPattern("\\([1-9][0-9]* certificates\\) and " + bundle + " \\(2 certificates\\)$");
    }
}
