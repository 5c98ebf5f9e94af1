package dev.tollgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/jvm.options is the one list of JVM options: scripts/tollgate reads it, the systemd unit
 * (installed by install.sh) and the container image hand it to java as an argument file, and
 * none of them writes a JVM option of its own.
 */
class JvmOptionsIT {
    private static final Path OPTIONS = Path.of("config", "jvm.options");
    private static final String TRIM = "-XX:TrimNativeHeapInterval=";
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path root;

    private record Result(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void needsBash() {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "bash"))),
                "bash is not on PATH");
    }

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("TOLLGATE_JAVA_OPTS");
        pb.environment().putAll(env);
        Path err = Files.createTempFile("jvm-options", ".err");
        pb.redirectError(err.toFile());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as(String.join(" ", command) + " finished")
                    .isTrue();
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }

    /** The options as java reads an argument file: '#' to the end of the line is a comment. */
    private static List<String> optionsInTheFile() throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(OPTIONS)) {
            String code = line.replaceAll("#.*", "").strip();
            if (!code.isEmpty()) {
                options.addAll(Arrays.asList(code.split("\\s+")));
            }
        }
        return options;
    }

    private static List<String> scriptOptions() throws IOException, InterruptedException {
        Result r = run(Map.of(), "bash", "scripts/tollgate", "java-opts");
        assertThat(r.exit()).as(r.stderr()).isZero();
        return List.of(r.stdout().strip().split(" "));
    }

    /** What the JVM makes of a set of options: its own list of the flags set on the command line. */
    private static String flagsOf(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString()));
        command.addAll(options);
        command.addAll(List.of("-XX:+PrintCommandLineFlags", "-version"));
        Result r = run(Map.of(), command.toArray(String[]::new));
        assertThat(r.exit()).as(r.stderr()).isZero();
        return r.stdout().lines().findFirst().orElseThrow();
    }

    @Test
    void theFileSetsTheMeasuredOptions() throws Exception {
        assertThat(optionsInTheFile())
                .contains("-XX:+UseSerialGC", "-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-XX:+ExitOnOutOfMemoryError")
                .anyMatch(o -> o.startsWith(TRIM))
                .doesNotHaveDuplicates();
    }

    @Test
    void scriptStartsJavaWithTheOptionsOfTheFile() throws Exception {
        Result r = run(Map.of(), "bash", "scripts/tollgate", "java-opts");
        assertThat(r.exit()).as(r.stderr()).isZero();
        List<String> expected = new ArrayList<>(optionsInTheFile());
        if (r.stderr().contains("starting without it")) { // a JVM older than 17.0.9 on PATH
            expected.removeIf(o -> o.startsWith(TRIM));
        }
        assertThat(r.stdout().strip().split(" ")).containsExactlyElementsOf(expected);
    }

    @Test
    void scriptOptionsAndTheArgumentFileGiveTheJvmTheSameFlags() throws Exception {
        List<String> script = scriptOptions();
        assumeTrue(script.stream().anyMatch(o -> o.startsWith(TRIM)), "the java on PATH lacks " + TRIM);
        assertThat(flagsOf(List.of("@" + OPTIONS))).isEqualTo(flagsOf(script)).contains("-XX:+UseSerialGC");
    }

    @Test
    void serviceStartsJavaWithTheFileAndNoOptionsOfItsOwn() throws Exception {
        Path jar = Files.writeString(root.resolve("dummy.jar"), "not really a jar\n");
        Path dest = root.resolve("dest");
        Result r = run(Map.of("DESTDIR", dest.toString()), "bash", "scripts/install.sh", "--jar", jar.toString());
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();

        assertThat(dest.resolve("etc/tollgate/jvm.options")).hasSameTextualContentAs(OPTIONS);
        String unit = Files.readString(dest.resolve("etc/systemd/system/tollgate.service"));
        Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit.replace("\\\n", " "));
        assertThat(exec.find()).as("ExecStart in\n" + unit).isTrue();
        List<String> words = List.of(exec.group(1).strip().split("\\s+"));
        assertThat(words).startsWith("/usr/bin/java", "@/etc/tollgate/jvm.options");
        assertThat(words).noneMatch(w -> w.startsWith("-X"));
    }

    @Test
    void imageStartsJavaWithTheFileAndNoOptionsOfItsOwn() throws Exception {
        String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^COPY config/jvm.options /opt/tollgate/jvm.options$");
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[(.*?)\\]$", Pattern.DOTALL)
                .matcher(dockerfile.replace("\\\n", " "));
        assertThat(entry.find()).as("ENTRYPOINT in the Dockerfile").isTrue();
        List<String> words = Stream.of(entry.group(1).split(","))
                .map(w -> w.strip().replace("\"", ""))
                .toList();
        assertThat(words).startsWith("java", "@/opt/tollgate/jvm.options");
        assertThat(words).noneMatch(w -> w.startsWith("-X"));
    }
}
