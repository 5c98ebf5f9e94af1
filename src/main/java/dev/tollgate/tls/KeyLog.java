package dev.tollgate.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSLContext;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The TLS key log ({@code --tls-keylog}): every session secret of both legs, in the NSS key log
 * format Wireshark reads. Only BoringSSL (netty-tcnative) hands the secrets out, through its
 * per-context key log callback; the JDK's TLS engine in Java 17 has no such hook, so a key log
 * with the JDK provider is refused rather than left silently empty.
 */
public final class KeyLog implements AutoCloseable {
    /** No key log: {@link #attach} does nothing. */
    public static final KeyLog OFF = new KeyLog(null);

    private final KeyLogFile file;

    private KeyLog(KeyLogFile file) {
        this.file = file;
    }

    /**
     * @param file where the lines go (created 0600, appended to), or null for {@link #OFF}
     * @param provider the TLS provider the contexts are built with
     * @throws IllegalArgumentException naming the key and flag, when the provider cannot log
     *     keys or the file cannot be used
     */
    public static KeyLog open(Path file, SslProvider provider) {
        if (file == null) {
            return OFF;
        }
        if (provider != SslProvider.OPENSSL && provider != SslProvider.OPENSSL_REFCNT) {
            throw new IllegalArgumentException(problem(
                    file,
                    "the " + provider + " TLS provider is in use ("
                            + TlsProviders.why() + ") and it has no key log API in Java 17; the key log needs the "
                            + "OpenSSL provider (netty-tcnative-boringssl-static)"));
        }
        try {
            return new KeyLog(KeyLogFile.open(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(problem(file, e.getMessage()), e);
        }
    }

    private static String problem(Path file, String why) {
        return "tls.keylog (--tls-keylog) " + file + ": " + why;
    }

    public boolean on() {
        return file != null;
    }

    /** Has every connection made from {@code context} write its secrets to this log. */
    SslContext attach(SslContext context) {
        if (file == null) {
            return context;
        }
        if (!(context instanceof ReferenceCountedOpenSslContext openSsl)) {
            // open() refused other providers; a context from elsewhere is a wiring bug
            throw new IllegalStateException("key log on, but the TLS context is not BoringSSL's: " + context);
        }
        // the callback runs on the event loop inside the handshake: it only queues the line
        if (!SSLContext.setKeyLogCallback(nativeContext(openSsl), (ssl, line) -> file.append(line))) {
            throw new IllegalStateException("BoringSSL refused the key log callback");
        }
        return context;
    }

    /**
     * tcnative's own context handle, which {@code SSLContext.setKeyLogCallback} takes. Netty
     * 4.2.18 has no key log option and its public accessors ({@code context()},
     * {@code sslCtxPointer()}) give the raw {@code SSL_CTX*} instead, which crashes the callback
     * setter; the handle is the protected field {@code ctx}.
     */
    private static long nativeContext(ReferenceCountedOpenSslContext context) {
        return (long) NativeHandle.CTX.get(context);
    }

    /** Looked up on first use only: a proxy without a key log never touches Netty's internals. */
    private static final class NativeHandle {
        static final VarHandle CTX = find();

        private static VarHandle find() {
            try {
                return MethodHandles.privateLookupIn(ReferenceCountedOpenSslContext.class, MethodHandles.lookup())
                        .findVarHandle(ReferenceCountedOpenSslContext.class, "ctx", long.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        "this Netty has no tcnative context handle to hang the key log on: " + e, e);
            }
        }
    }

    /** Lines lost because the writer could not keep up, since start. */
    public long dropped() {
        return file == null ? 0 : file.dropped();
    }

    /** Writes out what is queued and closes the file. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
