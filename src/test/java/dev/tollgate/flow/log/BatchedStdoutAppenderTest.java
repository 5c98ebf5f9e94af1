package dev.tollgate.flow.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.ContextBase;
import ch.qos.logback.core.encoder.EchoEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatchedStdoutAppenderTest {
    private static final long AN_HOUR = Duration.ofHours(1).toMillis();

    /** Records what reached it and whether anyone closed it (standard output must stay open). */
    static final class Target extends ByteArrayOutputStream {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() {
            closed.set(true);
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    private static BatchedStdoutAppender<String> appender(Target target, int bufferSize, long delayMillis) {
        BatchedStdoutAppender<String> a = new BatchedStdoutAppender<>();
        a.setContext(new ContextBase());
        a.setName("FLOWS_test");
        EchoEncoder<String> encoder = new EchoEncoder<>();
        encoder.setContext(a.getContext());
        encoder.start();
        a.setEncoder(encoder);
        a.setTarget(target);
        a.setBufferSize(bufferSize);
        a.setFlushDelayMillis(delayMillis);
        a.start();
        return a;
    }

    @Test
    void linesWaitInTheBufferAndStopWritesThemAllWithoutClosingTheTarget() {
        Target target = new Target();
        BatchedStdoutAppender<String> a = appender(target, 64 * 1024, AN_HOUR);
        a.doAppend("flow one");
        a.doAppend("flow two");
        assertThat(target.text()).isEmpty();

        a.stop();
        assertThat(target.text()).isEqualTo("flow one" + System.lineSeparator() + "flow two" + System.lineSeparator());
        assertThat(target.closed).isFalse();
    }

    @Test
    void aLoneLineReachesTheTargetAfterTheDelayWithNoFurtherEvents() throws InterruptedException {
        Target target = new Target();
        BatchedStdoutAppender<String> a = appender(target, 64 * 1024, 20);
        a.doAppend("idle proxy's last flow");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (target.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(target.text()).isEqualTo("idle proxy's last flow" + System.lineSeparator());

        a.doAppend("and the next one");
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!target.text().contains("next") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(target.text()).endsWith("and the next one" + System.lineSeparator());
        a.stop();
    }

    @Test
    void aFullBufferIsWrittenAtOnceWithoutWaitingForTheDelay() {
        Target target = new Target();
        BatchedStdoutAppender<String> a = appender(target, 64, AN_HOUR);
        for (int i = 0; i < 10; i++) {
            a.doAppend("flow number " + i + " of ten");
        }
        assertThat(target.size()).isGreaterThanOrEqualTo(64);
        assertThat(target.text()).startsWith("flow number 0 of ten");
        a.stop();
        assertThat(target.text()).endsWith("flow number 9 of ten" + System.lineSeparator());
    }

    @Test
    void nonPositiveSettingsLeaveTheAppenderStoppedAndSaySo() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            assertThat(appender(new Target(), 0, 100).isStarted()).isFalse();
            BatchedStdoutAppender<String> noDelay = appender(new Target(), 1024, 0);
            assertThat(noDelay.isStarted()).isFalse();
            assertThat(noDelay.getContext().getStatusManager().getCopyOfStatusList())
                    .anySatisfy(s -> assertThat(s.getMessage()).contains("flushDelayMillis must be positive"));
        } finally {
            System.setErr(stderr);
        }
        // the built-in logging config silences logback's status: stderr is where an operator sees it
        assertThat(said.toString(StandardCharsets.UTF_8))
                .contains("error: logging: FLOWS_test: bufferSize and flushDelayMillis must be positive, got 0 and 100")
                .contains("got 1024 and 0");
    }
}
