package dev.tollgate.ca;

import dev.tollgate.policy.IpLiteral;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Forges leaf certificates signed by the CA. One key pair, made once, serves every leaf (as
 * mitmproxy does), so forging is one signature. Policy, with reasons:
 * <ul>
 *   <li>a SAN always, DNS or IP by what the name is: Go clients (kubelet, containerd) ignore the CN;
 *   <li>notBefore two days back: clients with a slow clock;
 *   <li>a span of 397 days, backdating included, and never past the CA: browsers and Apple platforms
 *       count notAfter - notBefore, both ends inclusive, against their 398-day limit;
 *   <li>CA:FALSE, serverAuth, digitalSignature (+keyEncipherment for an RSA key), AKI from the CA's key.
 * </ul>
 * Thread-safe.
 */
public final class LeafForge {
    private static final Duration BACKDATE = Duration.ofDays(2);
    /** notAfter - notBefore + 1 s: X.509 times have whole seconds and both ends are valid instants. */
    private static final Duration SPAN = Duration.ofDays(397);

    private static final int MAX_CN = 64;

    private final CertificateAuthority ca;
    private final KeyPair leafKeys;
    private final X500Name issuer;

    public LeafForge(CertificateAuthority ca, KeyKind leafKey) {
        this.ca = ca;
        this.leafKeys = leafKey.generate();
        this.issuer =
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    /**
     * @param name a DNS name or an IP literal (no brackets)
     * @param extraNames more DNS names or IP literals; duplicates are dropped
     */
    public Leaf forge(String name, Collection<String> extraNames) throws CaException {
        Set<String> names = new LinkedHashSet<>();
        names.add(name.toLowerCase(Locale.ROOT));
        extraNames.forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        Instant spanEnd = notBefore.plus(SPAN).minusSeconds(1);
        Instant notAfter = spanEnd.isBefore(caEnd) ? spanEnd : caEnd;
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, name.length() > MAX_CN ? name.substring(0, MAX_CN) : name)
                .build();
        boolean rsa = leafKeys.getPublic().getAlgorithm().equals("RSA");
        X509Certificate cert = new CertificateBuilder(issuer, subject, leafKeys.getPublic(), notBefore, notAfter)
                .extension(Extension.basicConstraints, true, new BasicConstraints(false))
                .extension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(
                                rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature))
                .extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .extension(Extension.subjectAlternativeName, false, sans(names))
                .keyIdentifiers(leafKeys.getPublic(), ca.certificate().getPublicKey())
                .sign(ca.privateKey());
        return new Leaf(cert, leafKeys.getPrivate(), new X509Certificate[] {cert, ca.certificate()});
    }

    private static GeneralNames sans(Set<String> names) {
        GeneralName[] out = new GeneralName[names.size()];
        int i = 0;
        for (String n : names) {
            byte[] ip = IpLiteral.parse(n);
            out[i++] = ip != null
                    ? new GeneralName(GeneralName.iPAddress, new DEROctetString(ip))
                    : new GeneralName(GeneralName.dNSName, n);
        }
        return new GeneralNames(out);
    }
}
