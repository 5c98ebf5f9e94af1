package dev.tollgate.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.EncryptionException;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Loads a CA from the formats operators have: a combined PEM (key and certificate, the
 * {@code mitmproxy-ca.pem} of the reference setup), separate PEMs (PKCS#1, PKCS#8, EC,
 * encrypted), or PKCS#12. The format is found from the content, not the file name.
 */
public final class CaLoader {
    /**
     * Decrypts encrypted keys. The JDK's providers lack what the common formats need: PBES2's
     * PBKDF2 over the password's raw bytes ("PBKDF2with8BIT") and OpenSSL's EVP_BytesToKey for
     * "Proc-Type: 4,ENCRYPTED" PEMs. Passed to the builders only, never registered globally.
     * Made on first use: building it loads a few hundred classes (megabytes of metaspace for
     * the life of the daemon) that a CA with a plain key never needs.
     */
    private static final class Decryption {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private CaLoader() {}

    public static CertificateAuthority load(Path file, char[] password) throws CaException {
        byte[] bytes = read(file);
        if (looksLikePem(bytes)) {
            PemContents pem = parsePem(file, bytes, password);
            return CaChecks.check(file.toString(), pem.certificateFor(file, pem.key(file)), pem.key(file));
        }
        return loadPkcs12(file, bytes, password);
    }

    public static CertificateAuthority load(Path certPem, Path keyPem, char[] password) throws CaException {
        PemContents certs = parsePem(certPem, read(certPem), password);
        PemContents keys = parsePem(keyPem, read(keyPem), password);
        PrivateKey key = keys.key(keyPem);
        return CaChecks.check(certPem + " + " + keyPem, certs.certificateFor(certPem, key), key);
    }

    private static byte[] read(Path file) throws CaException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CaException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static boolean looksLikePem(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    /** What one PEM file held. */
    private record PemContents(List<X509Certificate> certificates, List<PrivateKey> keys) {
        PrivateKey key(Path file) throws CaException {
            if (keys.isEmpty()) {
                throw new CaException(file
                        + ": no private key found (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
            }
            return keys.get(0);
        }

        X509Certificate certificateFor(Path file, PrivateKey key) throws CaException {
            if (certificates.isEmpty()) {
                throw new CaException(file + ": no certificate found (expected BEGIN CERTIFICATE)");
            }
            for (X509Certificate c : certificates) {
                if (CaChecks.keyMatches(c, key)) {
                    return c;
                }
            }
            return certificates.get(0); // the checks then report the mismatch
        }
    }

    private static PemContents parsePem(Path file, byte[] bytes, char[] password) throws CaException {
        List<X509Certificate> certs = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.US_ASCII)))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add(new JcaX509CertificateConverter().getCertificate(h));
                } else if (o instanceof PEMKeyPair kp) {
                    // the private part only: SEC1 makes an EC key's public key optional, and
                    // keys exported from the JDK (and BC) leave it out
                    keys.add(keyConverter.getPrivateKey(kp.getPrivateKeyInfo()));
                } else if (o instanceof PrivateKeyInfo info) {
                    keys.add(keyConverter.getPrivateKey(info));
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    keys.add(keyConverter.getPrivateKey(
                            enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                    .setProvider(Decryption.PROVIDER)
                                    .build(requirePassword(file, password)))));
                } else if (o instanceof PEMEncryptedKeyPair enc) {
                    keys.add(keyConverter.getPrivateKey(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                                    .setProvider(Decryption.PROVIDER)
                                    .build(requirePassword(file, password)))
                            .getPrivateKeyInfo()));
                }
            }
        } catch (CaException e) {
            throw e;
        } catch (PKCSException | EncryptionException e) {
            throw new CaException(file + ": cannot decrypt the private key: wrong password?", e);
        } catch (IOException | CertificateException | OperatorCreationException | RuntimeException e) {
            throw new CaException(file + ": not a valid PEM file: " + e.getMessage(), e);
        }
        return new PemContents(certs, keys);
    }

    private static char[] requirePassword(Path file, char[] password) throws CaException {
        if (password == null) {
            throw new CaException(file + ": the private key is encrypted: give its password with --ca-password-file");
        }
        return password;
    }

    private static CertificateAuthority loadPkcs12(Path file, byte[] bytes, char[] password) throws CaException {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password == null ? new char[0] : password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new CaException(
                        file + ": wrong or missing PKCS#12 password (give it with --ca-password-file)", e);
            }
            throw new CaException(file + ": neither PEM nor PKCS#12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CaException(file + ": cannot read PKCS#12: " + e.getMessage(), e);
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password == null ? new char[0] : password);
                Certificate cert = store.getCertificate(alias);
                if (key instanceof PrivateKey pk && cert instanceof X509Certificate x) {
                    return CaChecks.check(file.toString(), x, pk);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new CaException(file + ": wrong PKCS#12 key password", e);
        } catch (GeneralSecurityException e) {
            throw new CaException(file + ": cannot read PKCS#12 entries: " + e.getMessage(), e);
        }
        throw new CaException(file + ": the PKCS#12 holds no private key with a certificate");
    }
}
