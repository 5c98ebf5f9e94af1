package dev.tollgate.it;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.time.Duration;

/** Open file descriptors of this JVM (the proxy runs in it): a leak shows as a count that keeps growing. */
final class OpenFiles {
    private OpenFiles() {}

    static int count() {
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            throw new IllegalStateException("/proc/self/fd cannot be listed: open descriptors cannot be counted here");
        }
        return fds.length;
    }

    /**
     * Waits up to {@code atMost} for the count to come back to at most {@code limit}: sockets
     * closed on an event loop leave the table a little after the test's own close returns.
     *
     * @throws org.awaitility.core.ConditionTimeoutException naming the last count when it does not
     */
    static void awaitAtMost(int limit, Duration atMost, String what) {
        await(what + ": open descriptors back to at most " + limit)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(OpenFiles::count, n -> n <= limit);
    }
}
