package dev.tollgate.ca;

import static dev.tollgate.ca.KeyFiles.PASSWORD;
import static dev.tollgate.ca.KeyFiles.certPem;
import static dev.tollgate.ca.KeyFiles.encryptedPkcs8;
import static dev.tollgate.ca.KeyFiles.pkcs12;
import static dev.tollgate.ca.KeyFiles.pkcs8;
import static dev.tollgate.ca.KeyFiles.traditional;
import static dev.tollgate.ca.KeyFiles.traditionalEncrypted;
import static dev.tollgate.ca.KeyFiles.traditionalSource;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** CaLoader from every format operators have. */
class CaLoaderTest {
    @TempDir
    Path tmp;

    private static void assertSame(CertificateAuthority loaded, CertificateAuthority expected) {
        assertThat(loaded.sha256Fingerprint()).isEqualTo(expected.sha256Fingerprint());
        // the same key, whatever optional fields its file carried (an EC key's encoding may or
        // may not repeat the curve and the public key)
        if (expected.privateKey() instanceof java.security.interfaces.ECPrivateKey ec) {
            assertThat(((java.security.interfaces.ECPrivateKey) loaded.privateKey()).getS())
                    .isEqualTo(ec.getS());
        } else {
            assertThat(loaded.privateKey().getEncoded())
                    .isEqualTo(expected.privateKey().getEncoded());
        }
        assertThat(loaded.warnings()).isEmpty();
    }

    // ---- one file: combined PEM or PKCS#12 -------------------------------------------------

    enum OneFile {
        KEY_FIRST,
        CERT_FIRST,
        TRADITIONAL_KEY_FIRST,
        ENCRYPTED_PKCS8,
        ENCRYPTED_TRADITIONAL,
        PKCS12_PASSWORD
    }

    static Stream<Arguments> oneFileCases() {
        return Stream.of(KeyKind.values())
                .flatMap(k -> Stream.of(OneFile.values()).map(f -> Arguments.of(k, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("oneFileCases")
    void loadsOneFile(KeyKind kind, OneFile format) throws Exception {
        CertificateAuthority ca = TestCas.of(kind);
        Path file = tmp.resolve("ca-file");
        char[] password = null;
        switch (format) {
            case KEY_FIRST -> TestCas.write(file, pkcs8(ca) + certPem(ca));
            case CERT_FIRST -> TestCas.write(file, certPem(ca) + pkcs8(ca));
            case TRADITIONAL_KEY_FIRST -> TestCas.write(file, traditional(ca) + certPem(ca));
            case ENCRYPTED_PKCS8 -> {
                TestCas.write(file, encryptedPkcs8(ca) + certPem(ca));
                password = PASSWORD;
            }
            case ENCRYPTED_TRADITIONAL -> {
                TestCas.write(file, traditionalEncrypted(ca) + certPem(ca));
                password = PASSWORD;
            }
            case PKCS12_PASSWORD -> {
                Files.write(file, pkcs12(ca.certificate(), ca.privateKey(), PASSWORD));
                password = PASSWORD;
            }
        }
        assertSame(CaLoader.load(file, password), ca);
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void traditionalKeyHeadersAreWhatTheyClaim(KeyKind kind) throws Exception {
        assertThat(traditional(TestCas.of(kind)))
                .startsWith(
                        kind == KeyKind.RSA2048 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");
    }

    @Test
    void ecPrivateKeyWithoutItsOptionalPublicKey() throws Exception {
        // openssl ec -no_public: SEC1 makes the public key optional
        CertificateAuthority ca = TestCas.ec();
        String key = TestCas.pem(traditionalSource(ca, false));
        assertThat(key).startsWith("-----BEGIN EC PRIVATE KEY-----");
        Path file = TestCas.write(tmp.resolve("ec-no-public.pem"), key + certPem(ca));
        assertSame(CaLoader.load(file, null), ca);
    }

    @Test
    void encryptedPkcs8HeaderIsWhatItClaims() throws Exception {
        assertThat(encryptedPkcs8(TestCas.ec())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    }

    @Test
    void combinedPemPicksTheCertificateThatMatchesTheKey() throws Exception {
        // an intermediate-style bundle: another certificate first, then the CA's
        CertificateAuthority ca = TestCas.ec();
        Path file = TestCas.write(tmp.resolve("bundle.pem"), certPem(TestCas.rsa()) + certPem(ca) + pkcs8(ca));
        assertSame(CaLoader.load(file, null), ca);
    }

    // ---- two files: certificate + key --------------------------------------------------------

    enum KeyFormat {
        PKCS8,
        TRADITIONAL,
        ENCRYPTED_PKCS8,
        ENCRYPTED_TRADITIONAL
    }

    static Stream<Arguments> twoFileCases() {
        return Stream.of(KeyKind.values())
                .flatMap(k -> Stream.of(KeyFormat.values()).map(f -> Arguments.of(k, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("twoFileCases")
    void loadsCertificateAndKeyFiles(KeyKind kind, KeyFormat format) throws Exception {
        CertificateAuthority ca = TestCas.of(kind);
        Path cert = TestCas.write(tmp.resolve("ca.crt"), certPem(ca));
        Path key = tmp.resolve("ca.key");
        char[] password = null;
        switch (format) {
            case PKCS8 -> TestCas.write(key, pkcs8(ca));
            case TRADITIONAL -> TestCas.write(key, traditional(ca));
            case ENCRYPTED_PKCS8 -> {
                TestCas.write(key, encryptedPkcs8(ca));
                password = PASSWORD;
            }
            case ENCRYPTED_TRADITIONAL -> {
                TestCas.write(key, traditionalEncrypted(ca));
                password = PASSWORD;
            }
        }
        assertSame(CaLoader.load(cert, key, password), ca);
    }

    @Test
    void loadsThePasswordlessPkcs12ThatCaFilesWrites() throws Exception {
        CertificateAuthority ca = TestCas.rsa();
        CaFiles files = new CaFiles(tmp.resolve("ca"));
        files.write(ca, false, new char[0]);
        assertSame(CaLoader.load(files.pkcs12(), null), ca);
        assertSame(CaLoader.load(files.combined(), null), ca);
    }

    // ---- refusals --------------------------------------------------------------------------

}
