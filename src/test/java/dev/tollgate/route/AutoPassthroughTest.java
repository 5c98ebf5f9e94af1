package dev.tollgate.route;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.tollgate.config.AutoPassthroughSettings;
import dev.tollgate.policy.ClientAcl;
import dev.tollgate.policy.EgressPolicy;
import dev.tollgate.policy.NoProxyList;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The auto-passthrough table: N rejections within the window enter a host for the TTL, and no more. */
class AutoPassthroughTest {
    private static final AutoPassthroughSettings SETTINGS =
            new AutoPassthroughSettings(true, 3, Duration.ofMinutes(5), Duration.ofHours(1), 2);
    private static final Target PINNED = new Target("pinned.example", 443);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Logger logger = (Logger) LoggerFactory.getLogger("tollgate.auto-passthrough");
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private final EgressPolicy egress = EgressPolicy.of(
            EgressPolicy.Mode.DENY_LIST, NoProxyList.parse(""), NoProxyList.parse("denied.example"), null);
    private final AutoPassthrough table = new AutoPassthrough(
            SETTINGS,
            (host, port) -> egress.check(host, port) instanceof EgressPolicy.Verdict.Denied,
            nanos::get,
            Scheduler.disabledScheduler(),
            Runnable::run);

    @BeforeEach
    void listen() {
        seen.start();
        logger.addAppender(seen);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(seen);
    }

    private void reject(String host, int times) {
        for (int i = 0; i < times; i++) {
            table.rejected(host, 443, "127.0.0.1:5000" + i + ": the client rejected the forged certificate");
            nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        }
    }

    private RouteDecision decide(Target target) throws Exception {
        Router router = new Router(
                new RoutingPolicy(
                        ClientAcl.parse(List.of("127.0.0.0/8")),
                        NoProxyList.parse(""),
                        null,
                        true,
                        NoProxyList.parse(""),
                        null,
                        Set.of(),
                        t -> false,
                        egress),
                table);
        return router.decideConnect(InetAddress.getLoopbackAddress(), target);
    }

    @Test
    void oneRejectionTooFewKeepsTheHostIntercepted() throws Exception {
        reject("pinned.example", 2);

        assertThat(table.covers("pinned.example")).isFalse();
        assertThat(decide(PINNED)).isInstanceOf(RouteDecision.Intercept.class);
        assertThat(table.entered()).isZero();
    }

    @Test
    void enoughRejectionsTunnelTheHostBlindAsAutoBypassAndSayWhy() throws Exception {
        reject("Pinned.Example", 3);

        assertThat(table.covers("pinned.example")).isTrue();
        RouteDecision d = decide(PINNED);
        assertThat(d).isEqualTo(new RouteDecision.Tunnel(PINNED, Hop.DIRECT, false, true));
        assertThat(d.mode()).isEqualTo("bypass (auto)");
        assertThat(table.entered()).isEqualTo(1);
        assertThat(table.hosts()).singleElement().satisfies(h -> {
            assertThat(h.host()).isEqualTo("pinned.example");
            assertThat(h.evidence()).hasSize(3).allMatch(e -> e.contains("rejected the forged certificate"));
            assertThat(h.expires()).isEqualTo(h.since().plus(Duration.ofHours(1)));
        });
        assertThat(seen.list)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .contains("pinned.example is tunnelled blind", "PT1H", "3 times within PT5M", "127.0.0.1:50002");
    }

    @Test
    void rejectionsSpreadWiderThanTheWindowDoNotCount() {
        reject("pinned.example", 2);
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        reject("pinned.example", 2);

        assertThat(table.covers("pinned.example")).isFalse();
        reject("pinned.example", 1);
        assertThat(table.covers("pinned.example")).isTrue();
    }

    @Test
    void theHostIsInterceptedAgainAfterTheTtlAndTheExpiryIsLogged() throws Exception {
        reject("pinned.example", 3);
        nanos.addAndGet(Duration.ofMinutes(59).toNanos());
        assertThat(table.covers("pinned.example")).isTrue();

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        table.cleanUp();

        assertThat(table.covers("pinned.example")).isFalse();
        assertThat(decide(PINNED)).isInstanceOf(RouteDecision.Intercept.class);
        assertThat(table.hosts()).isEmpty();
        assertThat(seen.list.get(seen.list.size() - 1).getFormattedMessage())
                .contains("pinned.example expired", "intercepted again");
    }

    @Test
    void aFullTableRefusesNewHostsAndSaysSo() {
        reject("a.example", 3);
        reject("b.example", 3);
        reject("c.example", 3);

        assertThat(table.hosts()).extracting(AutoPassthrough.Host::host).containsExactly("a.example", "b.example");
        assertThat(table.covers("c.example")).isFalse();
        assertThat(seen.list.get(seen.list.size() - 1).getFormattedMessage())
                .contains("c.example stays intercepted", "maxHosts: 2");
    }

    @Test
    void aHostAnEgressRuleDeniesNeverEntersAndStaysDenied() throws Exception {
        reject("denied.example", 5);

        assertThat(table.covers("denied.example")).isFalse();
        assertThat(table.entered()).isZero();
        assertThat(decide(new Target("denied.example", 443))).isInstanceOf(RouteDecision.Deny.class);
    }

    @Test
    void offNeverAdmitsAHost() {
        AutoPassthrough off = AutoPassthrough.of(
                new AutoPassthroughSettings(false, 1, Duration.ofMinutes(5), Duration.ofHours(1), 10), (h, p) -> false);
        off.rejected("pinned.example", 443, "x");

        assertThat(off.covers("pinned.example")).isFalse();
        assertThat(off.summary()).isEqualTo("auto-passthrough off");
    }
}
