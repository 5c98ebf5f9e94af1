package dev.tollgate.upstream;

/** A host (name or IP literal, IPv6 without brackets) and port to connect to. */
public record Endpoint(String host, int port) {
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
