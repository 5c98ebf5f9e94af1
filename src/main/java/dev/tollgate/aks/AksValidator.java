package dev.tollgate.aks;

import dev.tollgate.policy.Cidr;
import dev.tollgate.policy.HostPattern;
import dev.tollgate.policy.IndexedPatternException;
import dev.tollgate.policy.IpLiteral;
import dev.tollgate.policy.NoProxyList;
import dev.tollgate.policy.PatternException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the values of an AKS HTTP proxy config the way AKS does, before a cluster create or
 * update fails on them, and points out the common mistakes AKS accepts but that break the
 * cluster later. Errors and warnings are collected, not thrown, so one run reports all of them.
 * Each {@link Problem} names the config field at fault ({@code httpProxy}, {@code httpsProxy},
 * {@code noProxy}, {@code trustedCa}, {@code serviceCidr}); the command maps it to its option.
 *
 * <p>Errors (AKS rejects these):
 * <ul>
 *   <li>httpProxy not an {@code http://} URL (AKS does not accept {@code https://} there);
 *       httpsProxy not {@code http://} or {@code https://}; either with user:password (AKS does
 *       not support proxy authentication, and the value lands in every pod's environment);
 *   <li>a noProxy entry with {@code *} attached to a suffix ({@code *.example.com}: write
 *       {@code .example.com}), or one that {@link NoProxyList} cannot parse;
 *   <li>trustedCa over {@value #MAX_CERTIFICATES} certificates or {@value #MAX_PEM_BYTES} bytes
 *       (35 KB) of PEM, a private key in it, no certificate at all, or a certificate that has
 *       neither a subjectAltName nor CA basic constraints (Go clients reject such leaves).
 * </ul>
 *
 * <p>Warnings: a proxy URL with a path or without a port; a noProxy list that misses the
 * in-cluster names, the Azure IMDS and wireserver addresses, or the service CIDR.
 */
public final class AksValidator {
    public static final int MAX_CERTIFICATES = 20;
    public static final int MAX_PEM_BYTES = 35 * 1024;

    static final String IMDS = "169.254.169.254";
    static final String WIRESERVER = "168.63.129.16";

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN ");

    /** In-cluster names every pod uses, and a host name each entry must cover. */
    private static final List<String[]> IN_CLUSTER = List.of(
            new String[] {".svc", "my-service.my-namespace.svc"},
            new String[] {".cluster.local", "my-service.my-namespace.svc.cluster.local"},
            new String[] {"kubernetes.default", "kubernetes.default"});

    /** One finding: the config field and what is wrong with it. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    public List<Problem> errors() {
        return List.copyOf(errors);
    }

    public List<Problem> warnings() {
        return List.copyOf(warnings);
    }

    private void error(String field, String message) {
        errors.add(new Problem(field, message));
    }

    private void warn(String field, String message) {
        warnings.add(new Problem(field, message));
    }

    public void httpProxy(String url) {
        proxyUrl("httpProxy", url, false);
    }

    public void httpsProxy(String url) {
        proxyUrl("httpsProxy", url, true);
    }

    private void proxyUrl(String field, String url, boolean httpsAllowed) {
        String example = "http://HOST:PORT, for example http://10.0.0.4:8080";
        if (url == null || url.isBlank()) {
            error(field, "is empty; give " + example);
            return;
        }
        String text = url.strip();
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            error(field, q(text) + " is not a URL (" + e.getReason() + "); give " + example);
            return;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            error(field, q(text) + " has no scheme; give " + example);
            return;
        }
        if (scheme.equals("https") && !httpsAllowed) {
            error(
                    field,
                    q(text) + ": AKS does not accept https:// for httpProxy (only httpsProxy may use it); give "
                            + example);
            return;
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            error(field, q(text) + " must start with http://" + (httpsAllowed ? " or https://" : ""));
            return;
        }
        if (u.getRawUserInfo() != null) {
            error(
                    field,
                    q(text) + " contains credentials: AKS does not support proxy user/password authentication,"
                            + " and the URL would be visible in every pod's environment");
            return;
        }
        if (u.getHost() == null) {
            error(field, q(text) + " has no valid host; give " + example);
            return;
        }
        if (u.getPort() == 0 || u.getPort() > 65_535) {
            error(field, q(text) + " has a port outside 1..65535");
            return;
        }
        if (u.getPort() == -1) {
            warn(
                    field,
                    q(text) + " has no port, so clients use " + (scheme.equals("https") ? 443 : 80)
                            + "; Tollgate listens on 8080 by default (write " + scheme + "://" + u.getRawAuthority()
                            + ":8080)");
        }
        if (!u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawFragment() != null) {
            warn(
                    field,
                    q(text) + " has a path: a proxy URL is " + scheme + "://HOST:PORT with nothing after the port;"
                            + " some clients reject or mangle the rest");
        }
    }

    /**
     * Checks the entries and returns them trimmed, blank ones dropped: the list to write.
     * Also warns about missing in-cluster and Azure platform destinations.
     */
    public List<String> noProxy(List<String> entries) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("*") && !entry.equals("*") && !entry.startsWith("*:")) {
                String fix = entry.startsWith("*.")
                        ? "; write " + q(entry.substring(1)) + " (it matches the domain and all its subdomains)"
                        : "";
                error("noProxy", q(entry) + ": AKS rejects '*' attached to a domain suffix" + fix);
                continue;
            }
            try {
                NoProxyList.parse(List.of(entry));
            } catch (IndexedPatternException e) {
                error("noProxy", e.getMessage());
                continue;
            }
            kept.add(entry);
        }
        warnMissing(NoProxyList.parse(kept));
        return List.copyOf(kept);
    }

    private void warnMissing(NoProxyList list) {
        for (String[] name : IN_CLUSTER) {
            if (!list.matches(name[1], 443)) {
                warn(
                        "noProxy",
                        "does not cover " + q(name[0]) + ": pods would send in-cluster requests (" + name[1]
                                + ") to the proxy; add .svc, .cluster.local and kubernetes.default");
            }
        }
        if (!list.matches(IMDS, 80)) {
            warn(
                    "noProxy",
                    "does not cover " + IMDS + " (Azure instance metadata service): managed identity"
                            + " tokens and instance metadata must be fetched directly, not through a proxy; add "
                            + IMDS);
        }
        if (!list.matches(WIRESERVER, 80)) {
            warn(
                    "noProxy",
                    "does not cover " + WIRESERVER + " (Azure wireserver: DNS, DHCP, health probes, VM agent);"
                            + " add " + WIRESERVER);
        }
    }

    /** Checks the cluster's service CIDR and warns when the noProxy entries do not cover all of it. */
    public void serviceCidr(String cidr, List<String> noProxy) {
        String text = cidr == null ? "" : cidr.strip();
        Block service;
        try {
            if (text.indexOf('/') < 0) {
                throw new PatternException(text, "no /prefix (for example 10.0.0.0/16)");
            }
            service = Block.of(text);
        } catch (PatternException e) {
            error("serviceCidr", q(text) + " is not a CIDR: " + e.reason());
            return;
        }
        for (String entry : noProxy) {
            if (entry.strip().equals("*")) {
                return;
            }
            Block b = Block.orNull(entry);
            if (b != null && b.covers(service)) {
                return;
            }
        }
        warn(
                "noProxy",
                "does not cover the service CIDR " + service + ": requests to a ClusterIP by address"
                        + " would go to the proxy; add " + service);
    }

    /** A CIDR with its prefix, to compare two blocks (Cidr only answers address membership). */
    private record Block(Cidr cidr, byte[] network, int prefix) {
        static Block of(String text) {
            Cidr c = Cidr.parse(text);
            String canonical = c.toString();
            int slash = canonical.lastIndexOf('/');
            return new Block(
                    c,
                    IpLiteral.parse(canonical.substring(0, slash)),
                    Integer.parseInt(canonical.substring(slash + 1)));
        }

        /** The entry as a block, or null when it is a name or carries a port. */
        static Block orNull(String entry) {
            try {
                String normalized = HostPattern.parse(entry).toString();
                return IpLiteral.parse(normalized.split("/", 2)[0]) == null ? null : of(normalized);
            } catch (PatternException e) {
                return null;
            }
        }

        boolean covers(Block other) {
            return network.length == other.network.length && prefix <= other.prefix && cidr.contains(other.network);
        }

        @Override
        public String toString() {
            return cidr.toString();
        }
    }

    /**
     * Checks the PEM that becomes trustedCa: size, number of certificates, no private key, and
     * each certificate usable by Go clients (a CA, or a leaf with subjectAltName).
     */
    public void trustedCa(byte[] pem) {
        if (pem.length > MAX_PEM_BYTES) {
            error("trustedCa", "is " + pem.length + " bytes of PEM; AKS accepts at most " + MAX_PEM_BYTES + " (35 KB)");
        }
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        Matcher m = PEM_BLOCK.matcher(text);
        int blocks = 0;
        int certificates = 0;
        while (m.find()) {
            blocks++;
            String label = m.group(1);
            if (label.contains("PRIVATE KEY")) {
                error(
                        "trustedCa",
                        "contains a private key (-----BEGIN " + label + "-----): trustedCa is copied to"
                                + " every node; give the CA certificate only (certs/ca.pem, not ca-combined.pem or"
                                + " mitmproxy-ca.pem)");
            } else if (!label.equals("CERTIFICATE")) {
                error("trustedCa", "holds a " + q(label) + " PEM block; only CERTIFICATE blocks are accepted");
            } else {
                certificates++;
                certificate(certificates, m.group(2));
            }
        }
        int begins = (int) PEM_BEGIN.matcher(text).results().count();
        if (begins != blocks) {
            error("trustedCa", "has a PEM block without its matching -----END ...----- line");
        }
        if (certificates == 0) {
            error("trustedCa", "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        } else if (certificates > MAX_CERTIFICATES) {
            error("trustedCa", "holds " + certificates + " certificates; AKS accepts at most " + MAX_CERTIFICATES);
        }
    }

    private void certificate(int n, String base64) {
        X509Certificate cert;
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            cert = (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            error("trustedCa", "certificate " + n + " is not a valid X.509 certificate: " + e.getMessage());
            return;
        }
        if (cert.getBasicConstraints() >= 0) {
            return; // a CA certificate: no SAN needed
        }
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                return;
            }
        } catch (CertificateParsingException e) {
            error(
                    "trustedCa",
                    "certificate " + n + " (" + cert.getSubjectX500Principal() + ") has an unreadable"
                            + " subjectAltName: " + e.getMessage());
            return;
        }
        error(
                "trustedCa",
                "certificate " + n + " (" + cert.getSubjectX500Principal() + ") is not a CA certificate"
                        + " and has no subjectAltName extension: Go clients (kubelet, containerd) reject such certificates;"
                        + " give the CA certificate instead");
    }

    private static String q(String s) {
        return '"' + s + '"';
    }
}
