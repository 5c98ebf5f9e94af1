package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.ca.CaGenerator;
import dev.tollgate.ca.KeyKind;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.flow.Flows;
import dev.tollgate.server.ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A reload (SIGHUP) keeps the auto-passthrough table and lists it, with each expiry, in the log. */
class AutoPassthroughReloadIT {
    @TempDir
    Path dir;

    @Test
    void aReloadKeepsTheTableListsItAndSaysItsSettingsNeedARestart() throws Exception {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, "listen: 127.0.0.1:0\ninterception: {autoPassthrough: {enabled: true, failures: 2}}\n");
        ProxyConfig cfg = ConfigLoader.load(file, Map.of(), Map.of());
        ProxyServer server =
                new ProxyServer(cfg, CaGenerator.generate("Reload Test CA", KeyKind.EC256, 1), new Flows(List.of()));
        Logger reloadLog = (Logger) LoggerFactory.getLogger("tollgate.reload");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        reloadLog.addAppender(seen);
        try {
            server.start();
            server.autoPassthrough().rejected("pinned.example", 443, "127.0.0.1:50000: rejected");
            server.autoPassthrough().rejected("pinned.example", 443, "127.0.0.1:50001: rejected");
            ConfigReloader reloader = new ConfigReloader(file, Map.of(), Map.of(), server, true, cfg);

            Files.writeString(
                    file, "listen: 127.0.0.1:0\ninterception: {autoPassthrough: {enabled: true, failures: 5}}\n");
            assertThat(reloader.reload("SIGHUP")).isTrue();

            assertThat(server.autoPassthrough().covers("pinned.example")).isTrue();
            assertThat(seen.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line)
                            .contains("auto-passthrough tunnels blind 1 host(s): pinned.example (until ")
                            .contains("kept across reloads"))
                    .anySatisfy(line -> assertThat(line)
                            .contains("interception.autoPassthrough.* settings take effect only after a restart"));
        } finally {
            reloadLog.detachAppender(seen);
            server.stop(Duration.ZERO);
        }
    }
}
