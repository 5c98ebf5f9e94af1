package dev.tollgate.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes flow records off the event loop, like logback's {@code AsyncAppender} with
 * {@code neverBlock=false} and no discarding (nothing is lost: a full queue makes the caller
 * wait), but hands them over in batches. Logback's worker parks as soon as its queue is empty,
 * so under load every record cost two futex calls and a context switch (a wake-up from the
 * event loop, a park in the worker): a third of the proxy's system calls per request. This
 * worker, after a batch, lingers {@code lingerMillis} before it looks again; records queued
 * meanwhile find no one to wake. When it finds the queue empty it parks, so an idle proxy
 * costs nothing and a lone record is passed on at once.
 */
public class BatchingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
        implements AppenderAttachable<ILoggingEvent> {
    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private int queueSize = 8192;
    private long lingerMillis = 10;
    private long maxFlushMillis = 1000;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread worker;

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setLingerMillis(long millis) {
        this.lingerMillis = millis;
    }

    /** How long {@link #stop()} waits for the queued records to be written. */
    public void setMaxFlushMillis(long millis) {
        this.maxFlushMillis = millis;
    }

    @Override
    public void start() {
        if (queueSize < 1 || lingerMillis < 0 || maxFlushMillis < 0) {
            LogSetup.refuse(this, getName() + ": queueSize must be positive and lingerMillis, maxFlushMillis not negative, got "
                    + queueSize + ", " + lingerMillis + ", " + maxFlushMillis + "; nothing is written through this appender");
            return;
        }
        if (!appenders.iteratorForAppenders().hasNext()) {
            LogSetup.refuse(this, getName() + ": no appender-ref, so nothing is written through this appender");
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        worker = new Thread(this::work, "flow-log-" + getName());
        worker.setDaemon(true);
        super.start();
        worker.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // thread name, MDC and message, taken now
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(event);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a record is never dropped for an interrupt; the flag is kept
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        List<ILoggingEvent> batch = new ArrayList<>();
        try {
            while (isStarted()) {
                batch.add(queue.take());
                queue.drainTo(batch);
                passOn(batch);
                if (lingerMillis > 0) {
                    TimeUnit.MILLISECONDS.sleep(lingerMillis);
                }
            }
        } catch (InterruptedException e) {
            // stop(): what is still queued is written below
        }
        queue.drainTo(batch);
        passOn(batch);
    }

    private void passOn(List<ILoggingEvent> batch) {
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        batch.clear();
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        worker.interrupt();
        try {
            worker.join(maxFlushMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            addWarn(getName() + ": " + queue.size() + " records still queued after " + maxFlushMillis + " ms");
        }
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
