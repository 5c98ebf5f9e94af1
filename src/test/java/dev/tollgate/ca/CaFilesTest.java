package dev.tollgate.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CA directory: file modes from the first byte, no silent overwrite, round trip. */
class CaFilesTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("ca.key", (Function<CaFiles, Path>) CaFiles::privateKey, "rw-------"),
                Arguments.of("ca-combined.pem", (Function<CaFiles, Path>) CaFiles::combined, "rw-------"),
                Arguments.of("ca.p12", (Function<CaFiles, Path>) CaFiles::pkcs12, "rw-------"),
                Arguments.of("ca.pem", (Function<CaFiles, Path>) CaFiles::certificate, "rw-r--r--"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("modes")
    void filesHaveTheirModes(String name, Function<CaFiles, Path> which, String mode) throws Exception {
        CaFiles files = new CaFiles(tmp.resolve("certs"));
        files.write(TestCas.ec(), false, null);
        Path file = which.apply(files);
        assertThat(file.getFileName()).hasToString(name);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo(mode);
    }

    @Test
    void directoryIsCreatedPrivate() throws Exception {
        Path dir = tmp.resolve("deep/certs");
        new CaFiles(dir).write(TestCas.ec(), false, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "ca.key", "ca-combined.pem", "ca.p12"); // no temp files left
        }
    }

    @Test
    void refusesToOverwriteWithoutForceAndNamesTheFiles() throws Exception {
        CaFiles files = new CaFiles(tmp.resolve("certs"));
        files.write(TestCas.ec(), false, null);
        byte[] before = Files.readAllBytes(files.privateKey());
        assertThatThrownBy(() -> files.write(TestCas.rsa(), false, null))
                .isInstanceOf(CaException.class)
                .hasMessageContainingAll(
                        files.certificate().toString(),
                        files.privateKey().toString(),
                        files.combined().toString(),
                        files.pkcs12().toString(),
                        "--force");
        assertThat(Files.readAllBytes(files.privateKey())).isEqualTo(before);
        assertThat(files.load().sha256Fingerprint()).isEqualTo(TestCas.ec().sha256Fingerprint());
    }

    @Test
    void anySingleExistingFileIsEnoughToRefuse() throws Exception {
        CaFiles files = new CaFiles(tmp.resolve("certs"));
        Files.createDirectories(files.dir());
        Files.writeString(files.pkcs12(), "old");
        assertThat(files.exist()).isFalse();
        assertThat(files.anyExist()).isTrue();
        assertThatThrownBy(() -> files.write(TestCas.ec(), false, null))
                .isInstanceOf(CaException.class)
                .hasMessageContaining(files.pkcs12().toString())
                .hasMessageNotContaining(files.privateKey().toString());
    }

    @Test
    void forceReplacesEverything() throws Exception {
        CaFiles files = new CaFiles(tmp.resolve("certs"));
        files.write(TestCas.ec(), false, null);
        files.write(TestCas.rsa(), true, null);
        assertThat(files.load().sha256Fingerprint()).isEqualTo(TestCas.rsa().sha256Fingerprint());
        assertThat(CaLoader.load(files.combined(), null).sha256Fingerprint())
                .isEqualTo(TestCas.rsa().sha256Fingerprint());
        assertThat(CaLoader.load(files.pkcs12(), null).sha256Fingerprint())
                .isEqualTo(TestCas.rsa().sha256Fingerprint());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
                .isEqualTo("rw-------");
    }

    @Test
    void roundTripLoadsTheSameCa() throws Exception {
        for (CertificateAuthority ca : new CertificateAuthority[] {TestCas.rsa(), TestCas.ec()}) {
            CaFiles files = new CaFiles(tmp.resolve(ca.privateKey().getAlgorithm()));
            files.write(ca, false, "p12 pass".toCharArray());
            CertificateAuthority loaded = files.load();
            assertThat(loaded.sha256Fingerprint()).isEqualTo(ca.sha256Fingerprint());
            assertThat(loaded.certificate()).isEqualTo(ca.certificate());
            assertThat(Files.readString(files.certificate())).isEqualTo(ca.certificatePem());
            assertThat(CaLoader.load(files.pkcs12(), "p12 pass".toCharArray()).sha256Fingerprint())
                    .isEqualTo(ca.sha256Fingerprint());
            assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        }
    }

    @Test
    void fingerprintIsColonSeparatedUpperHexSha256() throws Exception {
        String fp = TestCas.ec().sha256Fingerprint();
        assertThat(fp).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(TestCas.ec().certificate().getEncoded());
        assertThat(fp.replace(":", "")).isEqualTo(HexFormat.of().withUpperCase().formatHex(digest));
    }
}
