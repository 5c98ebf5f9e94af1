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
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What upstream certificates are checked against: the JDK's trust store plus an optional PEM
 * bundle (private CAs of the cluster's own services).
 */
public final class UpstreamTrust {
    private UpstreamTrust() {}

    /** @param bundle extra PEM certificates, or null for the JDK trust store alone */
    public static TrustManagerFactory of(Path bundle) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate c : jdkDefaults()) {
            store.setCertificateEntry("jdk-" + n++, c);
        }
        if (bundle != null) {
            Collection<? extends Certificate> extra = readBundle(bundle);
            if (extra.isEmpty()) {
                throw new GeneralSecurityException(bundle + ": no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
            }
            for (Certificate c : extra) {
                store.setCertificateEntry("extra-" + n++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }

    private static X509Certificate[] jdkDefaults() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    private static Collection<? extends Certificate> readBundle(Path bundle) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(bundle)) {
            throw new IOException(bundle + ": cannot read the upstream trust bundle");
        }
        try (InputStream in = Files.newInputStream(bundle)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }
}
