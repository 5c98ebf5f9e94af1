package dev.tollgate.admin;

import java.time.Duration;

/** {@code /healthz}: the process answers. {@code /readyz}: the proxy can take traffic. */
final class HealthEndpoints {
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final Readiness readiness;

    HealthEndpoints(Readiness readiness) {
        this.readiness = readiness;
    }

    void healthz(AdminExchange x) {
        x.text(200, "ok\n");
    }

    void readyz(AdminExchange x) {
        readiness
                .problems(DEADLINE)
                .whenComplete((problems, failed) -> x.ctx().executor().execute(() -> {
                    if (failed != null) {
                        x.text(503, "not ready: " + failed.getMessage() + "\n");
                    } else if (problems.isEmpty()) {
                        x.text(200, "ready\n");
                    } else {
                        x.text(503, "not ready:\n- " + String.join("\n- ", problems) + "\n");
                    }
                }));
    }
}
