package dev.tollgate.intercept;

import dev.tollgate.http.InterceptSession;
import io.netty.channel.ChannelPipeline;

/** Puts the HTTP handlers (codec, gate, front end) after {@code afterName}, for a session inside a CONNECT. */
@FunctionalInterface
public interface HttpInstaller {
    void install(ChannelPipeline pipeline, String afterName, InterceptSession session);
}
