package dev.tollgate.policy;

/**
 * An entry split into host text and optional port.
 *
 * <p>A port follows the last ':' only when the entry has exactly one ':'. With two or more, the
 * entry is a bare IPv6 address or block and has no port; {@code ::1:8080} is therefore the
 * address {@code ::1:8080}. An IPv6 address with a port must be bracketed: {@code [::1]:8080}.
 *
 * @param host the host text, brackets removed
 * @param port 1..65535, or -1 when the entry names no port
 */
record EntryParts(String host, int port) {
    static final int ANY_PORT = -1;
    private static final String HOST_PATTERN = "a valid host pattern";

    /** {@code entry} is the trimmed text; {@code raw} is only for error messages. */
    static EntryParts split(String raw, String entry) {
        if (entry.startsWith("[")) {
            return splitBracketed(raw, entry);
        }
        int colon = entry.indexOf(':');
        if (colon < 0 || colon != entry.lastIndexOf(':')) {
            return new EntryParts(entry, ANY_PORT);
        }
        return new EntryParts(entry.substring(0, colon), port(raw, entry.substring(colon + 1)));
    }

    private static EntryParts splitBracketed(String raw, String entry) {
        int close = entry.indexOf(']');
        if (close < 0) {
            throw new PatternException(raw, HOST_PATTERN, "missing ']'");
        }
        String host = entry.substring(1, close);
        if (host.indexOf(':') < 0 || IpLiteral.parse(host) == null) {
            throw new PatternException(raw, HOST_PATTERN, "brackets must enclose an IPv6 address");
        }
        String rest = entry.substring(close + 1);
        if (rest.isEmpty()) {
            return new EntryParts(host, ANY_PORT);
        }
        if (!rest.startsWith(":")) {
            throw new PatternException(raw, HOST_PATTERN, "unexpected text after ']'");
        }
        return new EntryParts(host, port(raw, rest.substring(1)));
    }

    private static int port(String raw, String text) {
        int value = 0;
        for (int i = 0; i < text.length() && value <= 65535; i++) {
            if (!IpLiteral.isDigit(text.charAt(i))) {
                value = 0;
                break;
            }
            value = value * 10 + (text.charAt(i) - '0');
        }
        if (value < 1 || value > 65535) {
            throw new PatternException(raw, HOST_PATTERN, "port must be a number in 1..65535");
        }
        return value;
    }
}
