package dev.tollgate.cli;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.server.ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed config without a restart: on SIGHUP, or when the file's modification time
 * changes (checked every two seconds, cheaper and sturdier than a watch service across editors
 * that replace files). What routing decides with (client ACL, noProxy, passthrough, intercept,
 * intercept clients, CONNECT ports, egress, parent) changes for new requests; open connections
 * keep going. Turning {@code intercept} on needs a CA, which is loaded only at start: a proxy
 * started without one keeps tunnelling blind and says so. A bad file is refused with its reason
 * and the running config stays. Settings that need a restart (listen address, limits, timeouts,
 * CA, upstream trust, credentials file, host map) are named in a warning when they changed.
 */
final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger("tollgate.reload");

    private final Path file;
    private final Map<String, String> env;
    private final Map<String, Object> flags;
    private final ProxyServer server;
    private final boolean hasCa;
    private ProxyConfig current;
    private Consumer<Boolean> results = ok -> {};
    private FileTime seen;

    /** @param hasCa whether the server started with a CA, without which {@code intercept} cannot be turned on */
    ConfigReloader(
            Path file,
            Map<String, String> env,
            Map<String, Object> flags,
            ProxyServer server,
            boolean hasCa,
            ProxyConfig current) {
        this.file = file;
        this.env = env;
        this.flags = flags;
        this.server = server;
        this.hasCa = hasCa;
        this.current = current;
        this.seen = modified();
    }

    /** @return true when the new config was applied */
    synchronized boolean reload(String why) {
        ProxyConfig next;
        try {
            next = ConfigLoader.load(file, env, flags);
        } catch (ConfigException e) {
            LOG.error("config reload ({}) refused, the running config stays: {}", why, e.getMessage());
            results.accept(false);
            return false;
        }
        warnAboutRestartOnly(next);
        server.reroute(next);
        current = next;
        LOG.info("config reloaded ({}): {}", why, server.routingSummary());
        // the table survives a reload; listing it here is how an operator audits it from the log
        LOG.info("{} (kept across reloads)", server.autoPassthrough().summary());
        results.accept(true);
        return true;
    }

    private void warnAboutRestartOnly(ProxyConfig next) {
        if (!Objects.equals(next.listen(), current.listen())
                || !Objects.equals(next.limits(), current.limits())
                || !Objects.equals(next.timeouts(), current.timeouts())
                || !Objects.equals(next.ca(), current.ca())
                || !Objects.equals(next.caCert(), current.caCert())
                || next.insecureUpstream() != current.insecureUpstream()
                || !Objects.equals(next.tlsKeylog(), current.tlsKeylog())
                || !Objects.equals(next.upstreamTrust(), current.upstreamTrust())
                || !Objects.equals(next.proxyAuthFile(), current.proxyAuthFile())
                || !Objects.equals(next.hosts(), current.hosts())) {
            LOG.warn(
                    "config reload: listen, limits, timeouts, CA, upstream trust, insecureUpstream, "
                            + "tls.keylog, proxyAuthFile and hosts take effect only after a restart; they were changed and are NOT applied");
        }
        if (!next.autoPassthrough().equals(current.autoPassthrough())) {
            LOG.warn(
                    "config reload: the interception.autoPassthrough.* settings take effect only after a restart; they "
                            + "were changed and are NOT applied (the table and its hosts are kept)");
        }
        if (!adminSettings(next).equals(adminSettings(current))) {
            LOG.warn("config reload: the admin.* settings take effect only after a restart; they were changed and are "
                    + "NOT applied");
        }
        if (!Objects.equals(next.transparent(), current.transparent())) {
            LOG.warn("config reload: transparent.listen takes effect only after a restart; it was changed and is NOT "
                    + "applied");
        }
        if (next.intercept() && !hasCa) {
            LOG.warn("config reload: intercept is on in the config, but the proxy started without a CA; CONNECTs stay "
                    + "blind tunnels until a restart loads one");
        }
    }

    /** The admin settings as comparable text (a pattern list has no equals of its own). */
    private static String adminSettings(ProxyConfig c) {
        ProxyConfig.Admin a = c.admin();
        return a.listen() + " " + a.tokenFile() + " " + a.flowsMax() + " " + a.flowsMaxBytes() + " " + a.captureHosts()
                + " " + a.captureMaxBodyBytes();
    }

    /** Who hears whether each reload was applied (true) or refused (false): the metrics. */
    void onResult(Consumer<Boolean> results) {
        this.results = results;
    }

    /** SIGHUP, as daemons are reloaded (systemctl reload). */
    void onHangup() {
        try {
            HangupSignal.onHangup(() -> reload("SIGHUP"));
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP reload unavailable on this platform: {}", e.getMessage());
        }
    }

    /** Polls the file's modification time on a daemon thread. */
    void watch() {
        if (file == null) {
            return;
        }
        Thread t = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            Thread.sleep(2000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        FileTime now = modified();
                        if (now != null && !now.equals(seen)) {
                            seen = now;
                            reload(file + " changed");
                        }
                    }
                },
                "tollgate-config-watch");
        t.setDaemon(true);
        t.start();
    }

    private FileTime modified() {
        try {
            return file == null ? null : Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
