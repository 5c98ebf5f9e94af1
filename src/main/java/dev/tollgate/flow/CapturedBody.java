package dev.tollgate.flow;

/**
 * The head of a message body kept for the flow viewer (body capture is off by default and on
 * only for the hosts the operator names).
 *
 * @param head the first bytes, at most the capture limit
 * @param size the whole body's size as relayed
 */
public record CapturedBody(byte[] head, long size) {
    public boolean truncated() {
        return size > head.length;
    }
}
