package dev.tollgate.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns Netty's leak reports (the detector runs at PARANOID in the test JVMs, see pom.xml)
 * into test failures: a leaked buffer is reported when it is garbage collected, so this
 * collects, allocates to let the detector look, then checks what it logged.
 */
final class LeakWatch {
    private static final ListAppender<ILoggingEvent> REPORTS = new ListAppender<>();

    static {
        Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        REPORTS.start();
        detector.addAppender(REPORTS);
    }

    private LeakWatch() {}

    static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
            }
        }
        List<ILoggingEvent> leaks = REPORTS.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
        if (!leaks.isEmpty()) {
            String first = leaks.get(0).getFormattedMessage();
            REPORTS.list.clear();
            throw new AssertionError(leaks.size() + " Netty leak report(s); first:\n" + first);
        }
    }
}
