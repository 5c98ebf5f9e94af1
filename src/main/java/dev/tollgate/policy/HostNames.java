package dev.tollgate.policy;

import java.net.IDN;
import java.util.Locale;

/**
 * Puts DNS names into the one form that entries and targets are compared in: no trailing dot,
 * lower case, internationalised labels as punycode.
 *
 * <p>Both sides go through the same steps, so {@code bücher.example}, {@code BÜCHER.example.}
 * and {@code xn--bcher-kva.example} are the same name whichever side they appear on.
 */
final class HostNames {
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;

    private HostNames() {}

    /** The canonical form of an entry's name, or a PatternException naming what is wrong. */
    static String canonicalEntry(String raw, String name) {
        String stripped = stripTrailingDot(name);
        String reason = stripped.isEmpty() ? "empty host name" : emptyLabel(stripped);
        String ascii = null;
        if (reason == null) {
            ascii = toAscii(stripped);
            reason = ascii == null ? "not a valid internationalised domain name" : problem(ascii);
        }
        if (reason != null) {
            throw new PatternException(raw, "a valid host pattern", reason);
        }
        return ascii;
    }

    /**
     * The canonical form of a target host, or null when it cannot be a DNS name. Null matters: a
     * target such as {@code evil.com\0.example.com} must not match {@code .example.com}.
     */
    static String canonicalTarget(String host) {
        String ascii = toAscii(stripTrailingDot(host));
        return ascii != null && problem(ascii) == null ? ascii : null;
    }

    /** True if {@code name} is {@code domain} or a subdomain of it on a label boundary. */
    static boolean within(String name, String domain) {
        int extra = name.length() - domain.length();
        return name.endsWith(domain) && (extra == 0 || extra > 0 && name.charAt(extra - 1) == '.');
    }

    private static String stripTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Checked before IDN, whose own message for this case is less helpful. */
    private static String emptyLabel(String name) {
        boolean empty = name.startsWith(".") || name.contains("..");
        return empty ? "empty label" : null;
    }

    /** Lower-case ASCII; IDN only when needed because it is slow and nearly all hosts are ASCII. */
    private static String toAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                try {
                    return IDN.toASCII(name).toLowerCase(Locale.ROOT);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Why a lower-case ASCII name is not a usable host name, or null when it is fine. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "empty host name";
        }
        if (name.length() > MAX_NAME) {
            return "name longer than " + MAX_NAME + " characters";
        }
        int labelStart = 0;
        boolean allDigits = true;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                if (i == labelStart) {
                    return "empty label";
                }
                if (i - labelStart > MAX_LABEL) {
                    return "label longer than " + MAX_LABEL + " characters";
                }
                if (i == name.length() && allDigits) {
                    // No TLD is numeric, so this is a mistyped IPv4 address (10.0.0.256, 010.0.0.1).
                    return "not a valid IPv4 address, and no host name ends in a numeric label";
                }
                labelStart = i + 1;
                allDigits = true;
            } else if (isNameChar(c)) {
                allDigits &= IpLiteral.isDigit(c);
            } else {
                return "bad character '" + c + "'";
            }
        }
        return null;
    }

    private static boolean isNameChar(char c) {
        // '_' is not valid in host names but is common in real DNS (SRV, some internal zones).
        return c >= 'a' && c <= 'z' || IpLiteral.isDigit(c) || c == '-' || c == '_';
    }
}
