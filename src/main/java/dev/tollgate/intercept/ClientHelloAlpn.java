package dev.tollgate.intercept;

import io.netty.buffer.ByteBuf;

/**
 * Whether a ClientHello offers h2 in its ALPN extension (RFC 7301, extension 16). The origin
 * is offered h2 only for a client that may speak it: an HTTP/1.1 client's requests then ride a
 * pooled HTTP/1.1 connection, not an h2 stream each.
 */
final class ClientHelloAlpn {
    private static final int ALPN = 16;
    /** client_version (2) and random (32) come before the session id. */
    private static final int FIXED_PART = 34;

    private ClientHelloAlpn() {}

    /**
     * @param hello the ClientHello body (after the 4-byte handshake header, as Netty's
     *     {@code SslClientHelloHandler} hands it over), or null when there was none
     * @return true when the ALPN list names h2; false without ALPN or for a malformed hello
     */
    static boolean offersH2(ByteBuf hello) {
        if (hello == null) {
            return false;
        }
        int end = hello.writerIndex();
        int at = hello.readerIndex() + FIXED_PART;
        at = skip(hello, at, end, 1); // session id
        at = skip(hello, at, end, 2); // cipher suites
        at = skip(hello, at, end, 1); // compression methods
        if (at < 0 || at + 2 > end) {
            return false;
        }
        int extensionsEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        while (at + 4 <= extensionsEnd) {
            int type = hello.getUnsignedShort(at);
            int length = hello.getUnsignedShort(at + 2);
            at += 4;
            if (at + length > extensionsEnd) {
                return false;
            }
            if (type == ALPN) {
                return namesH2(hello, at, at + length);
            }
            at += length;
        }
        return false;
    }

    /** Skips a vector whose length takes {@code lengthBytes}; -1 when it runs past the end. */
    private static int skip(ByteBuf b, int at, int end, int lengthBytes) {
        if (at < 0 || at + lengthBytes > end) {
            return -1;
        }
        int length = lengthBytes == 1 ? b.getUnsignedByte(at) : b.getUnsignedShort(at);
        int next = at + lengthBytes + length;
        return next > end ? -1 : next;
    }

    /** The extension's body: a 2-byte list length, then protocol names each with a 1-byte length. */
    private static boolean namesH2(ByteBuf b, int at, int end) {
        if (at + 2 > end) {
            return false;
        }
        at += 2;
        while (at < end) {
            int length = b.getUnsignedByte(at);
            at++;
            if (at + length > end) {
                return false;
            }
            if (length == 2 && b.getByte(at) == 'h' && b.getByte(at + 1) == '2') {
                return true;
            }
            at += length;
        }
        return false;
    }
}
