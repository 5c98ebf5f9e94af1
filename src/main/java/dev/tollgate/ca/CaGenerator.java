package dev.tollgate.ca;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;

/** Makes a new self-signed CA, as the reference setup's openssl script meant to (and with what it missed). */
public final class CaGenerator {
    private CaGenerator() {}

    public static CertificateAuthority generate(String commonName, KeyKind kind, int days) throws CaException {
        if (days < 1 || days > 36_500) {
            throw new CaException("CA validity must be 1..36500 days, not " + days);
        }
        KeyPair keys = kind.generate();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.O, "Tollgate")
                .build();
        Instant now = Instant.now();
        // backdated a day: a client whose clock runs behind still accepts it
        var cert = new CertificateBuilder(
                        name, name, keys.getPublic(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(days)))
                .extension(Extension.basicConstraints, true, new BasicConstraints(0))
                .extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .keyIdentifiers(keys.getPublic(), keys.getPublic())
                .sign(keys.getPrivate());
        return CaChecks.check("generated CA", cert, keys.getPrivate());
    }
}
