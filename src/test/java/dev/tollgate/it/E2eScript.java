package dev.tollgate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the project's end-to-end scripts ({@code scripts/e2e-*.sh}) against the packaged
 * proxy, bounded in time: its output is kept in {@code target/e2e/<name>.log}, and a script past
 * its time gets SIGTERM (its trap cleans up), then SIGKILL.
 */
final class E2eScript {
    /** The exit status a script uses for "cannot run here" (as automake's test harness). */
    static final int SKIPPED = 77;

    /** @param finished false when the script ran past its time */
    record Result(boolean finished, int exit, String output, Path log) {}

    private E2eScript() {}

    static Path root() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    static Result run(String script, Duration limit, Map<String, String> env) throws Exception {
        Path root = root();
        ProcessBuilder pb = new ProcessBuilder(
                        "bash", root.resolve("scripts").resolve(script).toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        // the script makes its own proxy environment; the build's must not leak in
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), script + "-output");
        reader.start();
        boolean finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String output;
        synchronized (out) {
            output = out.toString(StandardCharsets.UTF_8);
        }
        Files.createDirectories(root.resolve("target/e2e"));
        Path log = Files.writeString(root.resolve("target/e2e/" + script.replaceAll("\\.sh$", "") + ".log"), output);
        return new Result(finished, finished ? p.exitValue() : -1, output, log);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
    }
}
