package dev.tollgate.flow;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Keeps the first {@code limit} bytes of a body as it streams past, and counts the rest. */
final class BodyCapture {
    private final byte[] head;
    private int kept;
    private long size;

    BodyCapture(int limit) {
        this.head = new byte[limit];
    }

    void add(ByteBuffer part) {
        int n = part.remaining();
        int room = head.length - kept;
        if (room > 0) {
            int take = Math.min(room, n);
            part.duplicate().get(head, kept, take);
            kept += take;
        }
        size += n;
    }

    CapturedBody snapshot() {
        return new CapturedBody(Arrays.copyOf(head, kept), size);
    }
}
