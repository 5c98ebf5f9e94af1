package dev.tollgate.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one idle timer of a blind relay: both ends closed once no bytes moved either way for the
 * timeout. One timer per relay, not an {@code IdleStateHandler} on each side: that is two timers
 * per tunnel, and a write promise (plus listener) per relayed chunk, since the handler replaces
 * the void promise of every write to watch its completion. Bytes read on either side, and a side
 * draining enough to take more, are the relay's activity; a write that stalls for the whole
 * timeout is an idle tunnel. Confined to the relay's event loop (both ends share it).
 */
public final class RelayIdle implements Runnable {
    private final Channel a;
    private final Channel b;
    private final long timeoutNanos;
    private long lastActivity;
    private ScheduledFuture<?> timer;

    /** @param timeoutNanos the idle timeout; zero or less means none */
    public RelayIdle(Channel a, Channel b, long timeoutNanos) {
        this.a = a;
        this.b = b;
        this.timeoutNanos = timeoutNanos;
    }

    /** Arms the timer; call once, on the event loop, when the relay starts. */
    public void start() {
        if (timeoutNanos > 0) {
            lastActivity = System.nanoTime();
            timer = a.eventLoop().schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Bytes moved: the idle time starts again. */
    void active() {
        lastActivity = System.nanoTime();
    }

    /** The relay ended: no check is due any more. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run() {
        if (timer == null) {
            return;
        }
        long left = timeoutNanos - (System.nanoTime() - lastActivity);
        if (left > 0) {
            timer = a.eventLoop().schedule(this, left, TimeUnit.NANOSECONDS);
            return;
        }
        timer = null;
        a.close();
        b.close();
    }
}
