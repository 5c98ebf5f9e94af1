package dev.tollgate.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The files of a CA directory and their names, the ones the docs and scripts use:
 * {@code ca.pem} the certificate (what clients trust, 0644), {@code ca.key} the key (PKCS#8,
 * 0600), {@code ca-combined.pem} key + certificate (the mitmproxy-ca.pem format, 0600), and
 * {@code ca.p12} (PKCS#12, 0600).
 */
public record CaFiles(Path dir) {

    public Path certificate() {
        return dir.resolve("ca.pem");
    }

    public Path privateKey() {
        return dir.resolve("ca.key");
    }

    public Path combined() {
        return dir.resolve("ca-combined.pem");
    }

    public Path pkcs12() {
        return dir.resolve("ca.p12");
    }

    private List<Path> all() {
        return List.of(certificate(), privateKey(), combined(), pkcs12());
    }

    public boolean exist() {
        return Files.exists(certificate()) && Files.exists(privateKey());
    }

    public boolean anyExist() {
        return all().stream().anyMatch(Files::exists);
    }

    /** Writes all four; without {@code force} refuses when any of them exists. */
    public void write(CertificateAuthority ca, boolean force, char[] p12Password) throws CaException {
        refuseOverwrite(force);
        try {
            SecureFiles.createDirectory(dir);
            String keyPem = keyPem(ca);
            SecureFiles.write(privateKey(), keyPem.getBytes(StandardCharsets.US_ASCII), SecureFiles.PRIVATE, force);
            SecureFiles.write(
                    combined(),
                    (keyPem + ca.certificatePem()).getBytes(StandardCharsets.US_ASCII),
                    SecureFiles.PRIVATE,
                    force);
            SecureFiles.write(pkcs12(), pkcs12Bytes(ca, p12Password), SecureFiles.PRIVATE, force);
            SecureFiles.write(
                    certificate(), ca.certificatePem().getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC, force);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException("cannot write the CA to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Throws, naming the files, when any exists and {@code force} is off. */
    public void refuseOverwrite(boolean force) throws CaException {
        if (!force && anyExist()) {
            List<String> existing =
                    all().stream().filter(Files::exists).map(Path::toString).toList();
            throw new CaException(
                    "refusing to overwrite " + String.join(", ", existing) + " (use --force to replace them)");
        }
    }

    public CertificateAuthority load() throws CaException {
        return CaLoader.load(certificate(), privateKey(), null);
    }

    /** Every file written, for messages. */
    public Stream<Path> files() {
        return all().stream();
    }

    private static String keyPem(CertificateAuthority ca) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(ca.privateKey(), null));
        }
        return out.toString();
    }

    private static byte[] pkcs12Bytes(CertificateAuthority ca, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] pw = password == null ? new char[0] : password;
        store.setKeyEntry("tollgate-ca", ca.privateKey(), pw, new Certificate[] {ca.certificate()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, pw);
        return out.toByteArray();
    }
}
