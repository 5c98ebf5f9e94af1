package dev.tollgate.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * <p>The writer takes what queued up in one batch, then lingers before it looks again, so under
 * load the event loops hand records over without waking anyone; idle, it parks until the next
 * flow arrives.
 */
public final class FlowLogSink implements FlowSink, AutoCloseable {
    public static final String LOGGER = "flows";
    private static final Logger FLOWS = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(FlowLogSink.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final BlockingQueue<FlowRecord> queue;
    private final long lingerNanos;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong droppedAtWarn = new AtomicLong();
    private final Thread writer;
    private final String instance;
    private volatile boolean running = true;

    /**
     * @param capacity records that may wait for the writer before new ones are dropped
     * @param linger how long the writer waits after a batch before it takes the next
     */
    public FlowLogSink(int capacity, Duration linger) {
        this(capacity, linger, null);
    }

    /** @param instance this proxy's name in every record (a host name), or null for none */
    public FlowLogSink(int capacity, Duration linger, String instance) {
        if (capacity < 1 || linger.isNegative()) {
            throw new IllegalArgumentException("flow log queue needs capacity >= 1 and linger >= 0");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.lingerNanos = linger.toNanos();
        this.instance = instance;
        this.writer = new Thread(this::writeLoop, "tollgate-flow-log");
        writer.setDaemon(true);
        writer.start();
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
        if (!running || !queue.offer(flow)) {
            long total = dropped.incrementAndGet();
            warnAtMostOncePerMinute(total);
        }
    }

    /** Flow records lost because the queue was full, since start. */
    public long dropped() {
        return dropped.get();
    }

    private void warnAtMostOncePerMinute(long total) {
        long now = System.nanoTime();
        long due = nextWarnNanos.get();
        if (now - due >= 0 && nextWarnNanos.compareAndSet(due, now + WARN_EVERY_NANOS)) {
            long since = total - droppedAtWarn.getAndSet(total);
            LOG.warn(
                    "flow log: dropped {} flow record(s) since the last warning ({} in all): the log output "
                            + "does not keep up (queue of {} full); the proxy keeps serving",
                    since,
                    total,
                    queue.size() + queue.remainingCapacity());
        }
    }

    private void writeLoop() {
        List<FlowRecord> batch = new ArrayList<>(256);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch);
            write(batch);
            if (lingerNanos > 0) {
                LockSupport.parkNanos(lingerNanos);
            }
        }
        queue.drainTo(batch);
        write(batch);
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
        batch.clear();
    }

    /** Writes out what is queued, then stops the writer; later flows are counted as dropped. */
    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
