package dev.tollgate.it;

import java.io.File;

/** Open file descriptors of this JVM (the proxy runs in it): a leak shows as a count that keeps growing. */
final class OpenFiles {
    private OpenFiles() {}

    static int count() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** Waits up to 3 s for the count to come back to at most {@code limit}; returns the last count. */
    static int settle(int limit) throws InterruptedException {
        int n = count();
        for (int i = 0; i < 50 && n > limit; i++) {
            Thread.sleep(100);
            n = count();
        }
        return n;
    }
}
