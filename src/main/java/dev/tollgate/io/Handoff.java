package dev.tollgate.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A bounded hand-off from event loops to one writer thread of its own, for output that must
 * never make an event loop wait (flow lines, TLS key log lines): {@link #offer} never blocks;
 * when the queue is full (the output stalled) the item is dropped and counted, because a lost
 * line beats a proxy that stops serving.
 *
 * <p>The writer takes what queued up as one batch, then lingers before it looks again, so under
 * load producers hand items over without waking anyone; idle, it parks until the next item.
 */
public final class Handoff<T> implements AutoCloseable {
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final BlockingQueue<T> queue;
    private final int capacity;
    private final long lingerNanos;
    private final Consumer<List<T>> write;
    private final Runnable afterLast;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
    private final Thread writer;
    private volatile boolean running = true;

    /**
     * @param write writes one batch on the writer thread (the list is cleared afterwards)
     * @param afterLast runs on the writer thread after the last batch (closing a file), or null
     */
    public Handoff(String threadName, int capacity, Duration linger, Consumer<List<T>> write, Runnable afterLast) {
        if (capacity < 1 || linger.isNegative()) {
            throw new IllegalArgumentException(threadName + " needs a queue capacity >= 1 and a linger >= 0");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.lingerNanos = linger.toNanos();
        this.write = write;
        this.afterLast = afterLast;
        this.writer = new Thread(this::writeLoop, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the item; false (and counted) when the queue is full or the writer stopped. */
    public boolean offer(T item) {
        if (running && queue.offer(item)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Items dropped since start. */
    public long dropped() {
        return dropped.get();
    }

    public int capacity() {
        return capacity;
    }

    /** True at most once a minute: when the caller's "dropped" warning may be logged again. */
    public boolean warningDue() {
        long now = System.nanoTime();
        long due = nextWarnNanos.get();
        return now - due >= 0 && nextWarnNanos.compareAndSet(due, now + WARN_EVERY_NANOS);
    }

    private void writeLoop() {
        List<T> batch = new ArrayList<>(64);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch);
            writeBatch(batch);
            if (lingerNanos > 0) {
                LockSupport.parkNanos(lingerNanos);
            }
        }
        queue.drainTo(batch);
        writeBatch(batch);
        if (afterLast != null) {
            afterLast.run();
        }
    }

    private void writeBatch(List<T> batch) {
        if (!batch.isEmpty()) {
            write.accept(batch);
            batch.clear();
        }
    }

    /** Writes out what is queued, then stops the writer (waiting up to 5 s); later items are dropped. */
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
