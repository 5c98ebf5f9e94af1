package dev.tollgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLogTest {
    @TempDir
    Path dir;

    @Test
    void theJdkProviderIsRefusedByName() {
        Path file = dir.resolve("keys.txt");
        assertThatThrownBy(() -> KeyLog.open(file, SslProvider.JDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tls.keylog (--tls-keylog) " + file)
                .hasMessageContaining("the JDK TLS provider is in use")
                .hasMessageContaining("no key log API in Java 17");
        assertThat(file).doesNotExist();
    }

    @Test
    void offIsOffWithoutAFile() {
        assertThat(KeyLog.open(null, SslProvider.JDK)).isSameAs(KeyLog.OFF);
        assertThat(KeyLog.OFF.on()).isFalse();
    }

    @Test
    void aNewFileIsCreatedOwnerOnly() throws Exception {
        Path file = dir.resolve("keys.txt");
        try (KeyLog log = KeyLog.open(file, SslProvider.OPENSSL)) {
            assertThat(log.on()).isTrue();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void anExistingFileReadableByOthersIsRefused() throws Exception {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "CLIENT_RANDOM aa bb\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> KeyLog.open(file, SslProvider.OPENSSL))
                .hasMessageContaining("--tls-keylog")
                .hasMessageContaining("exists with mode rw-r--r--")
                .hasMessageContaining("chmod 600");
        assertThat(Files.readString(file)).isEqualTo("CLIENT_RANDOM aa bb\n");
    }

    @Test
    void linesAreAppendedAfterWhatIsThere() throws Exception {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "# earlier\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        KeyLogFile out = KeyLogFile.open(file);
        out.append("CLIENT_RANDOM 01 02".getBytes());
        out.close();
        assertThat(Files.readString(file)).isEqualTo("# earlier\nCLIENT_RANDOM 01 02\n");
    }
}
