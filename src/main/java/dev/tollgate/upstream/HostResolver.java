package dev.tollgate.upstream;

import dev.tollgate.policy.IpLiteral;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Resolves upstream host names: the static host map first, IP literals without a lookup, and
 * everything else through the JDK resolver (which honours /etc/hosts and nsswitch) on a
 * small pool of its own threads, because a lookup may block and event loops must not.
 */
public final class HostResolver implements AutoCloseable {
    /** The last resort for a name that is neither mapped nor a literal; blocking is allowed. */
    public interface Lookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** The JDK resolver: /etc/hosts, then the DNS servers of /etc/resolv.conf. */
    public static final Lookup SYSTEM = InetAddress::getAllByName;

    private final Map<String, String> staticHosts;
    private final Lookup fallback;
    private final ExecutorService lookups;

    public HostResolver(Map<String, String> staticHosts) {
        this(staticHosts, SYSTEM);
    }

    /** @param fallback what resolves the rest (tests give one that never leaves the machine) */
    public HostResolver(Map<String, String> staticHosts, Lookup fallback) {
        this.staticHosts = Map.copyOf(staticHosts);
        this.fallback = fallback;
        this.lookups = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tollgate-dns");
            t.setDaemon(true);
            return t;
        });
    }

    /** Completes on {@code executor} (the caller's event loop) with every address of the host. */
    public Future<InetAddress[]> resolve(String host, EventExecutor executor) {
        Promise<InetAddress[]> promise = executor.newPromise();
        String mapped = staticHosts.getOrDefault(host, host);
        byte[] literal = IpLiteral.parse(mapped);
        if (literal != null) {
            try {
                return promise.setSuccess(new InetAddress[] {InetAddress.getByAddress(host, literal)});
            } catch (UnknownHostException e) {
                return promise.setFailure(e); // only for a bad length, which IpLiteral rules out
            }
        }
        try {
            lookups.execute(() -> lookup(mapped, promise));
        } catch (RejectedExecutionException e) {
            promise.tryFailure(e);
        }
        return promise;
    }

    private void lookup(String host, Promise<InetAddress[]> promise) {
        try {
            promise.trySuccess(fallback.lookup(host));
        } catch (UnknownHostException e) {
            promise.tryFailure(e);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        }
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
