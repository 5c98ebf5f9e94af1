package dev.tollgate.http;

import dev.tollgate.policy.ProxyCredentials;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks {@code Proxy-Authorization} without stalling an event loop: a credential seen before
 * is answered from the cache at once; a new one pays bcrypt (tens of milliseconds by design)
 * on a small pool of its own, whose bounded queue is also what limits the bcrypt work a
 * guessing client can cause.
 */
public final class ProxyAuthenticator implements AutoCloseable {
    private final ProxyCredentials credentials;
    private final ThreadPoolExecutor checks;

    public ProxyAuthenticator(ProxyCredentials credentials) {
        this.credentials = credentials;
        this.checks = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "tollgate-auth");
            t.setDaemon(true);
            return t;
        });
    }

    /** Completes on {@code loop} with the verdict for this header value (null when absent). */
    public Future<ProxyCredentials.Result> check(String proxyAuthorization, EventExecutor loop) {
        Promise<ProxyCredentials.Result> promise = loop.newPromise();
        ProxyCredentials.Result quick = credentials.quickCheck(proxyAuthorization);
        if (quick != null) {
            return promise.setSuccess(quick);
        }
        try {
            checks.execute(() -> {
                ProxyCredentials.Result r;
                try {
                    r = credentials.check(proxyAuthorization);
                } catch (RuntimeException e) {
                    r = new ProxyCredentials.Result.Denied("credentials could not be checked");
                }
                ProxyCredentials.Result verdict = r;
                loop.execute(() -> promise.trySuccess(verdict));
            });
        } catch (RejectedExecutionException e) {
            promise.setSuccess(new ProxyCredentials.Result.Denied("too many authentications in progress; retry"));
        }
        return promise;
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
