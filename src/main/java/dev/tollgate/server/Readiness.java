package dev.tollgate.server;

import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether the proxy can serve, for a health endpoint: the port is listening, the CA is loaded
 * when interception is configured, and every I/O event loop runs a task within the timeout
 * (a loop stuck in blocking work answers nothing else either).
 */
public record Readiness(boolean listening, boolean caLoaded, boolean interceptConfigured, boolean loopsAnswer) {

    public boolean ready() {
        return listening && loopsAnswer && (caLoaded || !interceptConfigured);
    }

    /** Why the proxy is not ready, in words for a health endpoint; empty when it is. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!listening) {
            out.add("the proxy port is not listening");
        }
        if (interceptConfigured && !caLoaded) {
            out.add("interception is on but no CA is loaded");
        }
        if (!loopsAnswer) {
            out.add("an event loop did not answer within the deadline");
        }
        return out;
    }

    static CompletableFuture<Readiness> check(
            Listener listener, boolean caLoaded, boolean intercept, Duration timeout) {
        boolean listening = listener.isListening();
        List<Future<?>> pings = listener.pingLoops();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[pings.size()];
        for (int i = 0; i < answers.length; i++) {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            pings.get(i).addListener(f -> answered.complete(null));
            answers[i] = answered;
        }
        return CompletableFuture.allOf(answers)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, timedOut) -> new Readiness(listening, caLoaded, intercept, timedOut == null));
    }
}
