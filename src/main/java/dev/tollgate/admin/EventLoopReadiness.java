package dev.tollgate.admin;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ready means: the proxy listener is bound, the CA is loaded when interception needs one, and
 * every event loop runs a no-op task within the deadline (a loop stuck in a blocking call or a
 * busy spin fails this while {@code /healthz} still answers).
 */
public final class EventLoopReadiness implements Readiness {
    private final BooleanSupplier listening;
    private final String caProblem;
    private final EventExecutorGroup loops;

    /** @param caProblem why the CA is missing although interception is on, or null */
    public EventLoopReadiness(BooleanSupplier listening, String caProblem, EventExecutorGroup loops) {
        this.listening = listening;
        this.caProblem = caProblem;
        this.loops = loops;
    }

    @Override
    public CompletableFuture<List<String>> problems(Duration deadline) {
        List<String> fixed = new ArrayList<>();
        if (!listening.getAsBoolean()) {
            fixed.add("the proxy listener is not bound");
        }
        if (caProblem != null) {
            fixed.add(caProblem);
        }
        List<CompletableFuture<String>> probes = new ArrayList<>();
        for (EventExecutor loop : loops) {
            probes.add(probe(loop, deadline));
        }
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> all = new ArrayList<>(fixed);
            probes.stream().map(CompletableFuture::join).filter(p -> p != null).forEach(all::add);
            return all;
        });
    }

    private static CompletableFuture<String> probe(EventExecutor loop, Duration deadline) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        if (loop.isShuttingDown()) {
            answer.complete("event loop " + loop + " is shutting down");
            return answer;
        }
        try {
            loop.execute(() -> answer.complete(null));
        } catch (RuntimeException refused) {
            answer.complete("event loop " + loop + " refused a task: " + refused.getMessage());
        }
        return answer.completeOnTimeout("an event loop did not answer within " + deadline.toMillis() + " ms",
                deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
