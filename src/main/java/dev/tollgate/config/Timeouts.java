package dev.tollgate.config;

import java.time.Duration;

/**
 * Every timer the proxy runs, so that no connection waits forever.
 *
 * @param connect upstream TCP connect (504 when it fires)
 * @param firstByte upstream response head after the request was sent (504)
 * @param idleClient an HTTP client connection (plain, or inside an intercepted CONNECT) with no
 *     byte read or written: between requests it is closed; during an exchange (an origin stalled
 *     mid-response, a client stalled mid-upload) the exchange fails with 504, or is cut off when
 *     the response has begun. Blind tunnels use {@code idleTunnel} instead
 * @param idleUpstream a pooled upstream connection; keep it below common origin keep-alive (nginx: 75 s)
 * @param idleTunnel a tunnel with no bytes either way
 * @param handshake a TLS handshake, either leg
 * @param drain how long shutdown waits for in-flight exchanges
 * @param requestHead from a request's first byte to its complete head (slowloris; 408)
 * @param clientFirstByte inside an intercepted CONNECT, how long the client may stay silent before the
 *     tunnel is taken for a server-speaks-first protocol and relayed blind; an origin that speaks first
 *     (SMTP, IMAP, SSH banners) is relayed blind at once, so this is only the fallback and is not short
 */
public record Timeouts(
        Duration connect,
        Duration firstByte,
        Duration idleClient,
        Duration idleUpstream,
        Duration idleTunnel,
        Duration handshake,
        Duration drain,
        Duration requestHead,
        Duration clientFirstByte) {}
