package dev.tollgate.flow;

/** What the TLS legs of a flow negotiated; empty for plain HTTP. */
public final class TlsFacts {
    private String sni;
    private String clientProtocol;
    private String clientCipher;
    private String alpn;
    private String upstreamProtocol;
    private String upstreamCipher;
    private String upstreamSubject;
    private String verifyError;
    private boolean upstreamUnverified;

    public TlsFacts sni(String v) { sni = v; return this; }
    public TlsFacts clientSide(String protocol, String cipher) { clientProtocol = protocol; clientCipher = cipher; return this; }
    public TlsFacts alpn(String v) { alpn = v; return this; }
    public TlsFacts upstreamSide(String protocol, String cipher) { upstreamProtocol = protocol; upstreamCipher = cipher; return this; }
    public TlsFacts upstreamSubject(String v) { upstreamSubject = v; return this; }
    public TlsFacts verifyError(String v) { verifyError = v; return this; }
    /** The upstream certificate was not checked (--insecure-upstream). */
    public TlsFacts upstreamUnverified(boolean v) { upstreamUnverified = v; return this; }

    public String sni() { return sni; }
    public String clientProtocol() { return clientProtocol; }
    public String clientCipher() { return clientCipher; }
    public String alpn() { return alpn; }
    public String upstreamProtocol() { return upstreamProtocol; }
    public String upstreamCipher() { return upstreamCipher; }
    public String upstreamSubject() { return upstreamSubject; }
    public String verifyError() { return verifyError; }
    public boolean upstreamUnverified() { return upstreamUnverified; }

    public boolean isEmpty() {
        return sni == null && clientProtocol == null && upstreamProtocol == null && verifyError == null;
    }
}
