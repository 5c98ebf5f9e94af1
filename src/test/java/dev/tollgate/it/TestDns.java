package dev.tollgate.it;

import dev.tollgate.policy.IpLiteral;
import dev.tollgate.upstream.HostResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy's resolver in tests: the names of {@code test-hosts} and nothing else, whatever
 * the JVM's own settings. A name it does not know fails at once, as an unknown host, so no
 * test can make the proxy send a DNS query to the servers of /etc/resolv.conf (off this
 * machine), even when run without the {@code -Djdk.net.hosts.file} of pom.xml.
 */
final class TestDns {
    static final HostResolver.Lookup LOOKUP = TestDns::lookup;
    private static final Map<String, byte[]> NAMES = load();

    private TestDns() {}

    private static InetAddress[] lookup(String host) throws UnknownHostException {
        byte[] address = NAMES.get(host.toLowerCase(Locale.ROOT));
        if (address == null) {
            throw new UnknownHostException(host + ": tests resolve only the names in test-hosts");
        }
        return new InetAddress[] {InetAddress.getByAddress(host, address)};
    }

    private static Map<String, byte[]> load() {
        try (InputStream in = TestDns.class.getResourceAsStream("/test-hosts")) {
            if (in == null) {
                throw new IllegalStateException("test-hosts is not on the test classpath");
            }
            Map<String, byte[]> names = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] words = line.replaceFirst("#.*", "").trim().split("\\s+");
                byte[] address = IpLiteral.parse(words[0]);
                for (int i = 1; address != null && i < words.length; i++) {
                    names.putIfAbsent(words[i].toLowerCase(Locale.ROOT), address);
                }
            }
            return Map.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
