package dev.tollgate.server;

import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.ca.LeafCache;
import dev.tollgate.ca.LeafForge;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.tls.KeyLog;
import dev.tollgate.tls.LeafContexts;
import dev.tollgate.tls.UpstreamTlsFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The CA-backed parts, present only when a CA is loaded: leaf forging (on its own threads, so
 * a signature never runs on an event loop), their TLS contexts, and verified upstream TLS.
 */
final class Interception implements AutoCloseable {
    private static final int MAX_LEAVES = 10_000;

    final LeafForge forge;
    final LeafCache leaves;
    final LeafContexts contexts;
    final UpstreamTlsFactory upstreamTls;
    private final ExecutorService forging;

    Interception(CertificateAuthority ca, ProxyConfig config) throws CaException {
        this(ca, config, KeyLog.OFF);
    }

    /** @param keyLog where both legs' session secrets go ({@link KeyLog#OFF}: nowhere) */
    Interception(CertificateAuthority ca, ProxyConfig config, KeyLog keyLog) throws CaException {
        this.forge = new LeafForge(ca, KeyKind.EC256);
        // bounded: a client cycling through made-up SNI names gets refusals, not an ever-growing queue
        this.forging = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "tollgate-forge");
            t.setDaemon(true);
            return t;
        });
        this.leaves = new LeafCache(forge, MAX_LEAVES, forging);
        this.contexts = new LeafContexts(MAX_LEAVES, keyLog);
        this.upstreamTls = upstreamTls(config, keyLog);
    }

    /** Verified upstream TLS; needed without a CA too, for https:// requests in absolute form. */
    static UpstreamTlsFactory upstreamTls(ProxyConfig config) throws CaException {
        return upstreamTls(config, KeyLog.OFF);
    }

    static UpstreamTlsFactory upstreamTls(ProxyConfig config, KeyLog keyLog) throws CaException {
        try {
            return UpstreamTlsFactory.create(
                    config.upstreamTrust(),
                    config.insecureUpstream(),
                    config.timeouts().handshake(),
                    keyLog);
        } catch (GeneralSecurityException | IOException e) {
            throw new CaException("cannot set up upstream TLS: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        forging.shutdownNow();
    }
}
