package dev.tollgate.policy;

import java.util.Arrays;

/** IPv6 text to bytes and back, kept apart from {@link IpLiteral} because it is the fiddly part. */
final class Ipv6Text {
    private Ipv6Text() {}

    /** RFC 4291 text form without brackets or zone id; null if {@code s} is not one. */
    static byte[] parse(String s) {
        byte[] out = new byte[16];
        int gap = -1; // byte offset where "::" stands, if any
        int pos = 0;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        }
        while (i < s.length()) {
            int end = hexEnd(s, i);
            if (end < s.length() && s.charAt(end) == '.') {
                return pos <= 12 && copyV4(s, i, out, pos) ? expand(out, pos + 4, gap) : null;
            }
            if (end == i || end - i > 4 || pos == 16) {
                return null;
            }
            int group = Integer.parseInt(s, i, end, 16);
            out[pos++] = (byte) (group >>> 8);
            out[pos++] = (byte) group;
            if (end == s.length()) {
                break;
            }
            if (s.charAt(end) != ':' || end + 1 == s.length()) {
                return null; // stray character, or a single trailing colon
            }
            i = end + 1;
            if (s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // only one "::" is allowed
                }
                gap = pos;
                i++;
            }
        }
        return expand(out, pos, gap);
    }

    /** Index just past the hex digits starting at {@code from}. */
    private static int hexEnd(String s, int from) {
        int i = from;
        while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80) {
            i++;
        }
        return i;
    }

    private static boolean copyV4(String s, int from, byte[] out, int pos) {
        byte[] v4 = IpLiteral.parseV4(s, from);
        if (v4 == null) {
            return false;
        }
        System.arraycopy(v4, 0, out, pos, 4);
        return true;
    }

    /** Moves the groups written after "::" to the end; "::" must stand for at least one group. */
    private static byte[] expand(byte[] out, int pos, int gap) {
        if (gap < 0) {
            return pos == 16 ? out : null;
        }
        if (pos == 16) {
            return null;
        }
        int tail = pos - gap;
        System.arraycopy(out, gap, out, 16 - tail, tail);
        Arrays.fill(out, gap, 16 - tail, (byte) 0);
        return out;
    }

    /** RFC 5952 canonical text, so logs and 403 bodies show one spelling per address. */
    static String format(byte[] a) {
        int[] run = longestZeroRun(a);
        StringBuilder sb = new StringBuilder(39);
        for (int g = 0; g < 8; g++) {
            if (g == run[0]) {
                sb.append(g == 0 ? "::" : ":");
                g += run[1] - 1;
                continue;
            }
            sb.append(Integer.toHexString(((a[2 * g] & 0xFF) << 8) | (a[2 * g + 1] & 0xFF)));
            if (g < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** {start group, length} of the first longest run of 2+ zero groups; start -1 when none. */
    private static int[] longestZeroRun(byte[] a) {
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: a single zero group is not shortened
        for (int g = 0; g < 8; ) {
            int len = 0;
            while (g + len < 8 && a[2 * (g + len)] == 0 && a[2 * (g + len) + 1] == 0) {
                len++;
            }
            if (len > bestLen) {
                bestStart = g;
                bestLen = len;
            }
            g += Math.max(len, 1);
        }
        return new int[] {bestStart, bestLen};
    }
}
