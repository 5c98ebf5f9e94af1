package dev.tollgate.flow;

/** The TLS facts of a running flow, filled in as each leg's handshake completes. */
public final class TlsRecorder {
    private String sni;
    private String clientProtocol;
    private String clientCipher;
    private String alpn;
    private String upstreamProtocol;
    private String upstreamCipher;
    private String upstreamAlpn;
    private String upstreamSubject;
    private String verifyError;
    private boolean upstreamUnverified;
    private boolean touched;

    public TlsRecorder sni(String v) {
        sni = v;
        return touch();
    }

    public TlsRecorder clientSide(String protocol, String cipher) {
        clientProtocol = protocol;
        clientCipher = cipher;
        return touch();
    }

    public TlsRecorder alpn(String v) {
        alpn = v;
        return touch();
    }

    public TlsRecorder upstreamSide(String protocol, String cipher) {
        upstreamProtocol = protocol;
        upstreamCipher = cipher;
        return touch();
    }

    public TlsRecorder upstreamAlpn(String v) {
        upstreamAlpn = v;
        return touch();
    }

    public TlsRecorder upstreamSubject(String v) {
        upstreamSubject = v;
        return touch();
    }

    public TlsRecorder verifyError(String v) {
        verifyError = v;
        return touch();
    }

    /** The upstream certificate was not checked (--insecure-upstream). */
    public TlsRecorder upstreamUnverified(boolean v) {
        upstreamUnverified = v;
        return touch();
    }

    public String sni() {
        return sni;
    }

    private TlsRecorder touch() {
        touched = true;
        return this;
    }

    TlsFacts snapshot() {
        if (!touched) {
            return TlsFacts.NONE;
        }
        return new TlsFacts(
                sni,
                clientProtocol,
                clientCipher,
                alpn,
                upstreamProtocol,
                upstreamCipher,
                upstreamAlpn,
                upstreamSubject,
                verifyError,
                upstreamUnverified);
    }
}
