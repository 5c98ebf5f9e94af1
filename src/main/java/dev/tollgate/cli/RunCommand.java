package dev.tollgate.cli;

import dev.tollgate.admin.AdminParts;
import dev.tollgate.admin.AdminServer;
import dev.tollgate.aks.AksConfigFile;
import dev.tollgate.ca.CaException;
import dev.tollgate.ca.CertificateAuthority;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.ProxyConfig;
import dev.tollgate.config.ReadableFile;
import dev.tollgate.flow.FlowLogSink;
import dev.tollgate.flow.Flows;
import dev.tollgate.server.Listener;
import dev.tollgate.server.ProxyServer;
import dev.tollgate.tls.TlsPreload;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tollgate run}: start the proxy and serve until SIGTERM or SIGINT. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Start the proxy. Settings: config file < TOLLGATE_* environment < these flags.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "YAML config file (default: config/tollgate.yaml when present)")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Listen address (default 0.0.0.0:8080)")
    String listen;

    @Option(
            names = "--no-proxy",
            paramLabel = "LIST",
            description = "Targets that bypass interception and the parent proxy, in NO_PROXY syntax")
    String noProxy;

    @Option(
            names = "--aks-config",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Take noProxy from this AKS HTTP proxy config JSON (tollgate aks-config -o FILE)")
    Path aksConfig;

    /** The noProxy entries read from --aks-config, or null. */
    List<String> aksNoProxy;

    @Option(
            names = "--allow-client",
            paramLabel = "CIDR",
            description = "Client ranges allowed to use the proxy (repeatable; default loopback and private ranges)")
    List<String> allowClients;

    @Option(names = "--parent-proxy", paramLabel = "URL", description = "Send traffic through this http:// proxy")
    String parentProxy;

    @Option(names = "--flow-log", paramLabel = "FORMAT", description = "Flow log format: text or json")
    String flowLog;

    @Option(
            names = "--instance-name",
            paramLabel = "NAME",
            description = "This proxy's name in every JSON flow record (field instance; default the host name)")
    String instanceName;

    @Option(
            names = "--intercept",
            arity = "0..1",
            fallbackValue = "true",
            paramLabel = "BOOL",
            description = "Intercept TLS after CONNECT (default true)")
    String intercept;

    @Option(names = "--passthrough", paramLabel = "LIST", description = "Targets tunnelled blind, never intercepted")
    String passthrough;

    @Option(
            names = "--intercept-clients",
            paramLabel = "CIDR",
            description = "Only these clients are intercepted (repeatable; default all)")
    List<String> interceptClients;

    @Option(names = "--hosts", paramLabel = "NAME=IP,...", description = "Static host map, tried before DNS")
    String hosts;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            description = "Admin listener: flow viewer, API, metrics, health, CA page "
                    + "(default 127.0.0.1:8081; off disables it)")
    String admin;

    @Option(
            names = "--transparent",
            paramLabel = "HOST:PORT",
            description = "Listener for connections redirected by iptables (REDIRECT or TPROXY); "
                    + "needs the epoll transport (default off)")
    String transparent;

    @picocli.CommandLine.Mixin
    CaOptions caOptions = new CaOptions();

    @Option(
            names = "--certs-dir",
            converter = CallerPath.class,
            paramLabel = "DIR",
            description = "Where the default CA lives (default certs)")
    Path certsDir;

    @Option(
            names = "--upstream-trust",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Extra PEM CAs trusted for upstream TLS, besides the JDK's")
    Path upstreamTrust;

    @Option(
            names = "--insecure-upstream",
            arity = "0..1",
            fallbackValue = "true",
            paramLabel = "BOOL",
            description = "Do not verify upstream certificates (labs only; warned on every flow)")
    String insecureUpstream;

    @Option(
            names = "--tls-keylog",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Append both TLS legs' session secrets to FILE (NSS key log format, for Wireshark; "
                    + "created 0600; debugging only: anyone with the file decrypts captured traffic)")
    Path tlsKeylog;

    @Option(
            names = "--proxy-auth-file",
            converter = CallerPath.class,
            paramLabel = "FILE",
            description = "Require Basic proxy credentials from this htpasswd file (bcrypt -B or {SHA} -s entries)")
    Path proxyAuthFile;

    @Option(
            names = "--proxy-name",
            paramLabel = "NAME",
            description = "Names of the proxy for its own TLS certificate (repeatable; local addresses are added)")
    List<String> proxyNames;

    @Override
    public Integer call() {
        ProxyConfig cfg = loadConfig();
        LogSetup.apply(cfg.flowLog());
        // after logging is set up, never before: the preload logs (Netty's native loader), and a
        // logger first touched while LogSetup resets logback could leave the flow appender
        // detached (JarRunIT once saw a served request whose JSON flow line never came)
        TlsPreload.start(); // beside bind and the CA: see TlsPreload
        Logger log = LoggerFactory.getLogger("tollgate");
        cfg.warnings().forEach(w -> log.warn("config: {}", w));
        if (cfg.insecureUpstream()) {
            log.warn("--insecure-upstream: upstream certificates are NOT verified; every flow is marked");
        }
        if (cfg.tlsKeylog() != null) {
            log.warn(
                    "--tls-keylog: TLS session secrets of both legs are appended to {}; anyone who reads it can "
                            + "decrypt captured traffic; every flow is marked keylog=on",
                    cfg.tlsKeylog());
        }
        FlowLogSink flowLogSink = FlowLogSink.standard(InstanceName.resolve(instanceName));
        Listener listener;
        try {
            listener = Listener.bind(cfg.listen()); // first: a port in use fails now, not after the CA is made
        } catch (Listener.ListenException e) {
            throw new StartupException(e.getMessage(), e);
        }
        ProxyServer server;
        AdminParts adminParts;
        CertificateAuthority ca;
        try {
            ca = CaSetup.load(cfg, log);
            if (ca != null) {
                log.info("CA {} (SHA-256 {})", ca.subject(), ca.sha256Fingerprint());
                ca.warnings().forEach(w -> log.warn("CA: {}", w));
            }
            adminParts = cfg.admin().enabled() ? AdminParts.create(cfg.admin()) : null;
            server = new ProxyServer(
                    cfg,
                    ca,
                    new Flows(
                            adminParts == null
                                    ? List.of(flowLogSink)
                                    : Stream.concat(Stream.of(flowLogSink), adminParts.sinks().stream())
                                            .toList()),
                    listener,
                    Map.of());
        } catch (CaException | IllegalArgumentException e) {
            listener.close();
            throw new StartupException(e.getMessage(), e);
        }
        InetSocketAddress bound = server.start();
        log.info("Tollgate {} listening on {}: {}", ProxyServer.VERSION, bound, server.routingSummary());
        log.info("limits: {}", cfg.limits().connections().summary());
        if (server.transparentAddress() != null) {
            log.info(
                    "transparent mode on {}: connections iptables redirects there go to their original destination",
                    server.transparentAddress());
        }
        AdminServer admin;
        try {
            admin = AdminSetup.start(cfg, ca, server, adminParts, flowLogSink, log);
        } catch (StartupException e) {
            server.close();
            throw e;
        }
        Path file = config != null
                ? config
                : Files.isRegularFile(ConfigLoader.DEFAULT_FILE) ? ConfigLoader.DEFAULT_FILE : null;
        ConfigReloader reloader = new ConfigReloader(file, System.getenv(), FlagMap.of(this), server, ca != null, cfg);
        if (adminParts != null) {
            reloader.onResult(adminParts.metrics()::reload);
        }
        reloader.onHangup();
        reloader.watch();
        awaitShutdown(server, admin, flowLogSink, cfg, log);
        return 0;
    }

    private ProxyConfig loadConfig() {
        if (aksConfig != null) {
            if (noProxy != null) {
                throw new ParameterException(spec.commandLine(), "give one of --no-proxy or --aks-config, not both");
            }
            try {
                aksNoProxy = AksConfigFile.readNoProxy(aksConfig);
            } catch (AksConfigFile.BadFileException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '--aks-config': " + aksConfig + ": " + e.getMessage());
            }
        }
        String unreadable = config == null ? null : ReadableFile.problem(config);
        if (unreadable != null) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '--config': \"" + config + "\" " + unreadable);
        }
        try {
            return ConfigLoader.load(config, System.getenv(), FlagMap.of(this));
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), FlagMap.describe(e, this));
        }
    }

    private static void awaitShutdown(
            ProxyServer server, AdminServer admin, FlowLogSink flowLog, ProxyConfig cfg, Logger log) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info(
                                    "shutting down: draining for up to {} s",
                                    cfg.timeouts().drain().toSeconds());
                            server.stop(cfg.timeouts().drain());
                            if (admin != null) {
                                admin.stop();
                            }
                            flowLog.close();
                            stopped.countDown();
                            LogSetup.stop();
                        },
                        "tollgate-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
