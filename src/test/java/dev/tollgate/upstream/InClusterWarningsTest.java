package dev.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InClusterWarningsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> lines = new ArrayList<>();
    private final InClusterWarnings warnings = new InClusterWarnings(60, TimeUnit.SECONDS, now::get, lines::add);

    @Test
    void theFirstRequestIsLoggedAtOnceThenCountsAtMostOncePerPeriod() {
        InClusterNames.Advice svc = InClusterNames.of("a.ns.svc");
        warnings.seen("a.ns.svc", svc);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("in-cluster name a.ns.svc", "add .svc to noProxy");

        for (int i = 0; i < 50; i++) {
            warnings.seen("b.ns.svc", InClusterNames.of("b.ns.svc"));
        }
        assertThat(lines).as("within the period: counted, not logged").hasSize(1);

        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        warnings.seen("c.ns.svc", InClusterNames.of("c.ns.svc"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("noProxy entry .svc: 51 more request(s)", "52 in all", "last c.ns.svc");
    }

    @Test
    void eachEntryHasItsOwnFirstWarning() {
        warnings.seen("konnectivity", InClusterNames.of("konnectivity"));
        warnings.seen("x.svc.cluster.local", InClusterNames.of("x.svc.cluster.local"));
        warnings.seen("konnectivity", InClusterNames.of("konnectivity"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("add konnectivity to noProxy");
        assertThat(lines.get(1)).contains("add .cluster.local to noProxy");
    }

    @Test
    void madeUpNamesPastTheCapShareOneTally() {
        for (int i = 0; i < InClusterWarnings.MAX_ENTRIES + 500; i++) {
            warnings.seen("n" + i, InClusterNames.of("n" + i));
        }
        assertThat(lines).hasSize(InClusterWarnings.MAX_ENTRIES + 1);
        assertThat(lines.get(InClusterWarnings.MAX_ENTRIES))
                .contains("in-cluster name n" + InClusterWarnings.MAX_ENTRIES);
    }
}
