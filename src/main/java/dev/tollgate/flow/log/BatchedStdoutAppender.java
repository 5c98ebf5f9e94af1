package dev.tollgate.flow.log;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Standard output in batches: one write per filled buffer or per {@code flushDelayMillis},
 * whichever comes first, instead of logback's console appender's one write per event. At
 * ten thousand flows a second those writes were a tenth of the proxy's CPU (the kernel side
 * of a write on a pipe or file, and the wake-ups around it). Like nginx's
 * {@code access_log ... buffer= flush=}: a flow reaches the reader at most the delay later,
 * and {@link #stop()} (a graceful exit or a logging reload) writes out what is pending.
 *
 * <p>Only the appender's own lock orders writes and flushes; the delayed flush is scheduled
 * when the first byte after a flush arrives, so an idle proxy has no timer running.
 */
public class BatchedStdoutAppender<E> extends OutputStreamAppender<E> {
    private int bufferSize = 64 * 1024;
    private long flushDelayMillis = 100;
    private OutputStream target = new FileOutputStream(FileDescriptor.out);
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private ScheduledExecutorService flusher;

    public void setBufferSize(int bytes) {
        this.bufferSize = bytes;
    }

    public void setFlushDelayMillis(long millis) {
        this.flushDelayMillis = millis;
    }

    /** Where the batches go; standard output unless a test says otherwise. */
    void setTarget(OutputStream target) {
        this.target = target;
    }

    @Override
    public void start() {
        if (bufferSize < 1 || flushDelayMillis < 1) {
            refuse(getName() + ": bufferSize and flushDelayMillis must be positive, got " + bufferSize + " and "
                    + flushDelayMillis + "; nothing is written through this appender");
            return;
        }
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new KeepOpen(target), bufferSize));
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flow-log-flush");
            t.setDaemon(true);
            return t;
        });
        super.start();
    }

    @Override
    protected void writeOut(E event) throws IOException {
        super.writeOut(event);
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                flusher.schedule(this::flushPending, flushDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // a write that raced with stop(): the stop itself writes out what is buffered
            }
        }
    }

    private void flushPending() {
        // cleared before the flush: bytes written after it schedule the next one
        flushScheduled.set(false);
        streamWriteLock.lock();
        try {
            if (isStarted()) {
                getOutputStream().flush();
            }
        } catch (IOException e) {
            addError("cannot write the log batch to standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    public void stop() {
        super.stop(); // closes the buffered stream, which flushes it
        if (flusher != null) {
            flusher.shutdownNow();
        }
    }

    /** Closing the appender must not close standard output: a reload starts a new appender on it. */
    private static final class KeepOpen extends OutputStream {
        private final OutputStream out;

        KeepOpen(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /**
     * Says so on stderr as well as in logback's status: the built-in configuration silences the
     * status, and an appender that does not start would lose every flow without a word.
     */
    private void refuse(String why) {
        addError(why);
        System.err.println("error: logging: " + why);
    }
}
