package dev.tollgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/tollgate run from another directory, as a new user does: relative paths typed on the
 * command line are the caller's (written and read there, never in the project), while the
 * defaults (config/tollgate.yaml, certs/) stay the project's. None of these starts a server.
 * The packaged jar is fresh here (failsafe runs after package), so the script does not build.
 */
class CallerDirectoryIT {
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Path SCRIPT = PROJECT.resolve("scripts/tollgate");

    @TempDir
    Path caller;

    private record Result(int exit, String out, String err) {}

    /** What a failure of this test would leave in the project: removed, whatever happened. */
    private static final List<String> STRAYS = List.of("cluster-proxy.json", "exported.pem", "mine.yaml");

    @AfterEach
    void removeStraysFromTheProject() throws IOException {
        for (String name : STRAYS) {
            Files.deleteIfExists(PROJECT.resolve(name));
        }
        Path dir = PROJECT.resolve(caDir());
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static String caDir() {
        return "ca-" + ProcessHandle.current().pid(); // a name no project file has
    }

    @BeforeAll
    static void theJarIsPackaged() {
        assertThat(PROJECT.resolve("target/tollgate.jar"))
                .as("failsafe runs after package")
                .exists();
    }

    private Result tollgate(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(caller.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_"));
        pb.environment().put("TOLLGATE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xss512k");
        pb.environment().putAll(env);
        Path out = caller.resolve(".out");
        Path err = caller.resolve(".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("scripts/tollgate finished")
                .isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result tollgate(String... args) throws IOException, InterruptedException {
        return tollgate(Map.of(), args);
    }

    @Test
    void caInitAksConfigAndCaExportWriteAndReadInTheCallersDirectory() throws Exception {
        String dir = caDir();
        Result init = tollgate("ca", "init", "--dir", dir, "--key", "ec256", "--days", "30");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(caller.resolve(dir + "/ca.pem")).exists();
        assertThat(caller.resolve(dir + "/ca.key")).exists();
        assertThat(PROJECT.resolve(dir)).doesNotExist();

        Result aks = tollgate(
                "aks-config",
                "--proxy-url",
                "http://10.0.0.4:8080",
                "--no-proxy",
                "localhost,127.0.0.1,.svc,.cluster.local,kubernetes.default,169.254.169.254,168.63.129.16",
                "--ca",
                dir + "/ca.pem",
                "-o",
                "cluster-proxy.json");
        assertThat(aks.exit()).as(aks.err()).isZero();
        assertThat(caller.resolve("cluster-proxy.json")).content().contains("\"trustedCa\"");
        assertThat(PROJECT.resolve("cluster-proxy.json")).doesNotExist();

        Result export = tollgate(
                "ca", "export", "--ca-cert", dir + "/ca.pem", "--ca-key", dir + "/ca.key", "-o", "exported.pem");
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(caller.resolve("exported.pem")).hasSameTextualContentAs(caller.resolve(dir + "/ca.pem"));
        assertThat(PROJECT.resolve("exported.pem")).doesNotExist();
    }

    @Test
    void runReadsRelativeFilesFromTheCallersDirectory() throws Exception {
        Files.writeString(caller.resolve("mine.yaml"), "listen: not-an-address\n");
        Result config = tollgate("run", "--config", "mine.yaml");
        assertThat(config.exit()).isEqualTo(2);
        assertThat(config.err()).contains("listen", "not-an-address"); // the caller's file was the one read

        Result ca = tollgate("run", "--listen", "127.0.0.1:0", "--ca", "nc/ca.pem");
        assertThat(ca.exit()).isEqualTo(2);
        assertThat(ca.err()).contains("'--ca'", caller.resolve("nc/ca.pem").toString(), "does not exist");
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() throws Exception {
        Result r = tollgate(Map.of("TOLLGATE_FLOW_LOG", "xml"), "run", "--listen", "127.0.0.1:0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("TOLLGATE_FLOW_LOG: \"xml\" must be text or json");
    }
}
