package dev.tollgate.tls;

import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;

/**
 * Loads the slow, independent TLS pieces on a thread of their own at the very start of
 * {@code run} (once logging is set up), while the main thread binds the port and loads the CA: the
 * native TLS library (netty-tcnative: unpacking and linking it takes ~0.3 s) and the JDK's
 * trusted roots (parsing cacerts: ~0.3 s). Whoever needs them first waits for what is left.
 */
public final class TlsPreload {
    private static volatile CompletableFuture<X509Certificate[]> jdkRoots;

    private TlsPreload() {}

    /** Starts loading; calling it again does nothing. */
    public static synchronized void start() {
        if (jdkRoots != null) {
            return;
        }
        CompletableFuture<X509Certificate[]> roots = new CompletableFuture<>();
        jdkRoots = roots;
        Thread t = new Thread(
                () -> {
                    TlsProviders.provider(); // initialises OpenSsl: loads the native library
                    try {
                        roots.complete(UpstreamTrust.loadJdkRoots());
                    } catch (Exception | Error e) {
                        roots.completeExceptionally(e);
                    }
                },
                "tollgate-tls-preload");
        t.setDaemon(true);
        t.start();
    }

    /** The preloaded roots, or null when {@link #start()} was not called (then load them yourself). */
    static CompletableFuture<X509Certificate[]> jdkRoots() {
        return jdkRoots;
    }
}
