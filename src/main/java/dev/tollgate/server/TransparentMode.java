package dev.tollgate.server;

import dev.tollgate.config.HostPort;
import dev.tollgate.http.HttpProxyContext;
import dev.tollgate.upstream.HostResolver;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transparent listener and what its accepted connections enter: built when {@code --transparent} is on. */
final class TransparentMode {
    private static final Logger LOG = LoggerFactory.getLogger(TransparentMode.class);

    private final TransparentListener listener;
    private final Consumer<Channel> admission;

    private TransparentMode(TransparentListener listener, Consumer<Channel> admission) {
        this.listener = listener;
        this.admission = admission;
    }

    /**
     * @param admit the proxy port's admission (connection limits, drain), given the entry of
     *     redirected connections
     * @throws IllegalArgumentException when the listener cannot run (see {@link TransparentListener})
     */
    static TransparentMode bind(
            HostPort address,
            Listener proxy,
            PipelineOwner owner,
            HttpProxyContext context,
            NextLayer next,
            HostResolver resolver,
            Function<Consumer<Channel>, Consumer<Channel>> admit) {
        TransparentListener listener = new TransparentListener(address, proxy);
        RedirectedEntry entry = new RedirectedEntry(
                owner,
                context,
                next,
                new RedirectedName(context.router(), resolver),
                new SelfTargets(listener.address().getPort()));
        return new TransparentMode(listener, admit.apply(entry::accepted));
    }

    void start() {
        listener.open(admission);
        LOG.info(
                "transparent mode on {}: redirected connections go to their original destination (iptables REDIRECT{})",
                listener.address(),
                listener.transparentSocket() ? " or TPROXY" : "; TPROXY needs CAP_NET_ADMIN");
    }

    InetSocketAddress address() {
        return listener.address();
    }

    void close() {
        listener.close();
    }
}
