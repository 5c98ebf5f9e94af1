package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchingAsyncAppenderTest {
    private static final long AN_HOUR = Duration.ofHours(1).toMillis();
    private final LoggerContext context = new LoggerContext();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> sink = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            messages.add(event.getFormattedMessage());
        }
    };

    BatchingAsyncAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own start-up sets
    }

    private BatchingAsyncAppender appender(int queueSize, long lingerMillis) {
        sink.setContext(context);
        sink.start();
        BatchingAsyncAppender a = new BatchingAsyncAppender();
        a.setContext(context);
        a.setName("FLOWS");
        a.setQueueSize(queueSize);
        a.setLingerMillis(lingerMillis);
        a.addAppender(sink);
        a.start();
        return a;
    }

    private ILoggingEvent flow(int i) {
        return new LoggingEvent("test", context.getLogger("flows"), Level.INFO, "flow {}", null, new Object[] {i});
    }

    private List<String> received() {
        return List.copyOf(messages);
    }

    private void awaitReceived(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void aLoneRecordIsPassedOnAtOnceAndTheRestWaitForTheLingerOrTheStop() throws InterruptedException {
        BatchingAsyncAppender a = appender(8192, AN_HOUR);
        a.doAppend(flow(0));
        awaitReceived(1);
        assertThat(received()).containsExactly("flow 0");

        // the worker now lingers for an hour: only stop() can pass these on
        IntStream.range(1, 50).forEach(i -> a.doAppend(flow(i)));
        a.stop();
        assertThat(received()).hasSize(50).startsWith("flow 0", "flow 1").endsWith("flow 49");
        assertThat(sink.isStarted()).isFalse();
    }

    @Test
    void aFullQueueMakesTheCallerWaitAndNothingIsDroppedOrReordered() throws InterruptedException {
        BatchingAsyncAppender a = appender(2, 5);
        IntStream.range(0, 300).forEach(i -> a.doAppend(flow(i)));
        awaitReceived(300);
        assertThat(received()).containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "flow " + i).toList());
        a.stop();
    }

    @Test
    void withoutATargetOrWithBadSettingsItDoesNotStart() {
        BatchingAsyncAppender noTarget = new BatchingAsyncAppender();
        noTarget.setContext(context);
        noTarget.setName("FLOWS");
        noTarget.start();
        assertThat(noTarget.isStarted()).isFalse();

        assertThat(appender(0, 10).isStarted()).isFalse();
        assertThat(appender(10, -1).isStarted()).isFalse();
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .anySatisfy(s -> assertThat(s.getMessage()).contains("no appender-ref"))
                .anySatisfy(s -> assertThat(s.getMessage()).contains("queueSize must be positive"));
    }
}
