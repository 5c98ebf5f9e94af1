package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ConfigLoader;
import dev.tollgate.route.Router;
import dev.tollgate.route.Target;
import dev.tollgate.upstream.HostResolver;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule for the name a redirected client gives: it must name the address it connected to
 * (resolved by the proxy's hosts map here, so no DNS query leaves the test), and a name the
 * policy denies is denied whatever the address allowed.
 */
class RedirectedNameTest {
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
    private HostResolver resolver;
    private RedirectedName names;

    @BeforeEach
    void setUp() throws Exception {
        var config = ConfigLoader.load(
                null,
                Map.of(
                        "TOLLGATE_HOSTS", "origin.test=10.203.1.10,denied.test=10.203.1.13",
                        "TOLLGATE_EGRESS_DENY", "denied.test"),
                Map.of());
        Router router = Routing.from(config, true, 18080);
        resolver = new HostResolver(config.hosts());
        names = new RedirectedName(() -> router, resolver);
    }

    @AfterEach
    void tearDown() {
        resolver.close();
    }

    private RedirectedName.Refusal check(String name, String destination) throws Exception {
        Future<RedirectedName.Refusal> verdict = names.check(
                "Host header",
                CLIENT,
                Target.parseAuthority(name, 80),
                InetAddress.getByName(destination),
                ImmediateEventExecutor.INSTANCE);
        return verdict.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aNameThatResolvesToTheOriginalDestinationPasses() throws Exception {
        assertThat(check("origin.test", "10.203.1.10")).isNull();
    }

    @Test
    void theOriginalDestinationItselfPasses() throws Exception {
        assertThat(check("10.203.1.10", "10.203.1.10")).isNull();
    }

    @Test
    void aNameForAnotherAddressIsAConflict() throws Exception {
        RedirectedName.Refusal refusal = check("origin.test", "10.203.1.12");
        assertThat(refusal.status()).isEqualTo(409);
        assertThat(refusal.reason())
                .contains(
                        "Host header origin.test resolves to [10.203.1.10]",
                        "not to the original destination 10.203.1.12");
    }

    @Test
    void anotherAddressLiteralIsAConflict() throws Exception {
        RedirectedName.Refusal refusal = check("10.203.1.11", "10.203.1.12");
        assertThat(refusal.status()).isEqualTo(409);
        assertThat(refusal.reason()).contains("is another address");
    }

    @Test
    void aDeniedNameIsDeniedEvenAtItsOwnAddress() throws Exception {
        RedirectedName.Refusal refusal = check("denied.test", "10.203.1.13");
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.reason()).contains("egress policy", "(by the Host header)");
    }
}
