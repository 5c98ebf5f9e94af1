package dev.tollgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real TLS origin whose session secrets are observable: {@code openssl s_server -www} on a
 * loopback port, writing its own NSS key log ({@code -keylogfile}), so a test can match the
 * secrets of the proxy's upstream leg line for line.
 */
final class OpensslOrigin implements AutoCloseable {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    final Path keyLog;

    /** @param extra more s_server flags, e.g. {@code -tls1_2} */
    OpensslOrigin(TestPki.Issued cert, Path dir, String... extra) throws Exception {
        Path certPem = dir.resolve("origin-cert.pem");
        Path keyPem = dir.resolve("origin-key.pem");
        Files.writeString(certPem, TestPki.pem(cert.certificate()));
        Files.writeString(
                keyPem,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(cert.key().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        keyLog = dir.resolve("origin-keylog-" + System.nanoTime() + ".txt");
        List<String> cmd = new ArrayList<>(List.of(
                "openssl",
                "s_server",
                "-accept",
                "127.0.0.1:0",
                "-cert",
                certPem.toString(),
                "-key",
                keyPem.toString(),
                "-www",
                "-keylogfile",
                keyLog.toString()));
        cmd.addAll(List.of(extra));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        port = awaitPort();
    }

    private int awaitPort() throws IOException {
        // s_server prints the bound address once it listens; nothing else comes first
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = ACCEPT.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> drain(out), "s_server-out");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("openssl s_server exited without listening (exit " + process.exitValue() + ")");
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe empty so s_server never blocks on its own output
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
