package dev.tollgate.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What upstream certificates are checked against: the JDK's trust store plus an optional PEM
 * bundle (private CAs of the cluster's own services).
 */
public final class UpstreamTrust {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTrust.class);

    private UpstreamTrust() {}

    /** @param bundle extra PEM certificates, or null for the JDK trust store alone */
    public static TrustManagerFactory of(Path bundle) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate c : jdkRoots()) {
            store.setCertificateEntry("jdk-" + n++, c);
        }
        String trusted = "the JDK's " + jdkStore() + " (" + n + " certificates)";
        if (bundle != null) {
            Collection<? extends Certificate> extra = readBundle(bundle);
            if (extra.isEmpty()) {
                throw new GeneralSecurityException(
                        bundle + ": no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
            }
            for (Certificate c : extra) {
                store.setCertificateEntry("extra-" + n++, c);
            }
            trusted += " and " + bundle + " (" + extra.size() + " certificates)";
        }
        // which store a JVM picked is a classic source of "PKIX path building failed" surprises
        LOG.info("upstream TLS trusts {}", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }

    /** Where the JDK's default trust manager reads from, by the JSSE reference guide's order. */
    private static String jdkStore() {
        String property = System.getProperty("javax.net.ssl.trustStore");
        if (property != null && !property.isEmpty()) {
            return property + " (javax.net.ssl.trustStore)";
        }
        Path security = Path.of(System.getProperty("java.home"), "lib", "security");
        Path jsse = security.resolve("jssecacerts");
        return (Files.isRegularFile(jsse) ? jsse : security.resolve("cacerts")).toString();
    }

    private static X509Certificate[] jdkRoots() throws GeneralSecurityException {
        CompletableFuture<X509Certificate[]> preloaded = TlsPreload.jdkRoots();
        if (preloaded == null) {
            return loadJdkRoots();
        }
        try {
            return preloaded.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof GeneralSecurityException g) {
                throw g;
            }
            throw e;
        }
    }

    static X509Certificate[] loadJdkRoots() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    private static Collection<? extends Certificate> readBundle(Path bundle)
            throws IOException, GeneralSecurityException {
        if (!Files.isReadable(bundle)) {
            throw new IOException(bundle + ": cannot read the upstream trust bundle");
        }
        try (InputStream in = Files.newInputStream(bundle)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }
}
