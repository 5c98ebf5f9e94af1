package dev.tollgate.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.function.LongConsumer;

/**
 * The changes the stages of a connection may ask of its pipeline when they change protocol.
 * The pipeline owner in {@code server} implements it, so that every install and strip of a
 * client-side handler happens in one place and in the order {@link PipelineNames} documents.
 */
public interface ClientPipeline {

    /**
     * Takes the HTTP/1.1 stages off a client connection (a CONNECT was accepted, or a 101
     * switched protocols) and returns the bytes they held undecoded; the caller owns them.
     * Must run on the channel's event loop, while the stage that decided is still delivering
     * its message, so that nothing the client sent behind it is decoded as HTTP.
     */
    ByteBuf leaveHttp(Channel client);

    /**
     * Relays bytes blind between the client and {@code upstream} (both AUTO_READ off, one event
     * loop), with one tunnel idle timer for both.
     *
     * @param up counts the bytes read from the client
     * @param down counts the bytes read from the upstream
     * @param onClosed runs once, when both sides have closed
     */
    void relay(Channel client, Channel upstream, LongConsumer up, LongConsumer down, Runnable onClosed);
}
