package dev.tollgate.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** The key types Tollgate generates: RSA-2048 (widest client support) and EC P-256 (fast signatures). */
public enum KeyKind {
    RSA2048,
    EC256;

    public static KeyKind parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "rsa2048" -> RSA2048;
            case "ec256" -> EC256;
            default -> throw new IllegalArgumentException("\"" + s + "\" is not a key type (choose rsa2048 or ec256)");
        };
    }

    public KeyPair generate() {
        try {
            if (this == RSA2048) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + this + " keys", e);
        }
    }

    /** The signature algorithm a key of this family signs certificates with. */
    static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }
}
