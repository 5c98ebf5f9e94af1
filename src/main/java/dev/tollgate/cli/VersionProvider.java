package dev.tollgate.cli;

import dev.tollgate.server.ProxyServer;
import picocli.CommandLine;

/** One version string for every command's {@code --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "tollgate " + ProxyServer.VERSION,
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
