package dev.tollgate.flow;

import dev.tollgate.io.Handoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes each ended flow once to the SLF4J logger {@code flows}, from its own thread: a
 * readable line as the message and every field as a key-value pair, so a structured encoder
 * (the JSON switch in {@code config/logback.xml}) renders proper fields without parsing.
 *
 * <p>It never blocks an event loop: a full queue (the log's reader stalled, a disk full) drops
 * the record and counts it, and a WARN says so at most once a minute. A flow lost under
 * overload is better than a proxy that stops serving.
 *
 * <p>Each record names the instance that wrote it ({@code instance}), so the JSON logs of several
 * proxies behind one load balancer merge into one stream a reader can still tell apart.
 *
 * <p>The queue and its writer thread are a {@link Handoff}: one batch per wake-up, a 10 ms
 * linger between batches under load.
 */
public final class FlowLogSink implements FlowSink, AutoCloseable {
    public static final String LOGGER = "flows";
    private static final Logger FLOWS = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(FlowLogSink.class);

    private final Handoff<FlowRecord> handoff;
    private final AtomicLong droppedAtWarn = new AtomicLong();
    private final String instance;

    /**
     * @param capacity records that may wait for the writer before new ones are dropped
     * @param linger how long the writer waits after a batch before it takes the next
     */
    public FlowLogSink(int capacity, Duration linger) {
        this(capacity, linger, null);
    }

    /** @param instance this proxy's name in every record (a host name), or null for none */
    public FlowLogSink(int capacity, Duration linger, String instance) {
        this.instance = instance;
        this.handoff = new Handoff<>("tollgate-flow-log", capacity, linger, this::write, null);
    }

    /** The defaults the proxy runs with: 8,192 records, 10 ms linger. */
    public static FlowLogSink standard() {
        return new FlowLogSink(8192, Duration.ofMillis(10));
    }

    /** The defaults, each record naming {@code instance}. */
    public static FlowLogSink standard(String instance) {
        return new FlowLogSink(8192, Duration.ofMillis(10), instance);
    }

    @Override
    public void ended(FlowRecord flow) {
        if (!handoff.offer(flow) && handoff.warningDue()) {
            long total = handoff.dropped();
            LOG.warn(
                    "flow log: dropped {} flow record(s) since the last warning ({} in all): the log output "
                            + "does not keep up (queue of {} full); the proxy keeps serving",
                    total - droppedAtWarn.getAndSet(total),
                    total,
                    handoff.capacity());
        }
    }

    /** Flow records lost because the queue was full, since start. */
    public long dropped() {
        return handoff.dropped();
    }

    private void write(List<FlowRecord> batch) {
        if (FLOWS.isInfoEnabled()) {
            for (FlowRecord f : batch) {
                LoggingEventBuilder event = FLOWS.atInfo();
                if (instance != null) {
                    event.addKeyValue("instance", instance);
                }
                FlowFields.each(f, event::addKeyValue);
                event.log(FlowLine.of(f));
            }
        }
    }

    /** Writes out what is queued, then stops the writer; later flows are counted as dropped. */
    @Override
    public void close() {
        handoff.close();
    }
}
