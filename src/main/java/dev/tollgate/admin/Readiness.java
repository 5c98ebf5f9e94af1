package dev.tollgate.admin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What {@code /readyz} asks of the proxy. */
@FunctionalInterface
public interface Readiness {
    /**
     * Never blocks the caller (an event loop).
     *
     * @return completes with why the proxy is not ready; empty when it is
     */
    CompletableFuture<List<String>> problems(Duration deadline);
}
