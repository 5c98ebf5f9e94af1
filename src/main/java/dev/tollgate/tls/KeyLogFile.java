package dev.tollgate.tls;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key log file and its writer thread. BoringSSL calls back on the event loop in the middle
 * of a handshake, so the callback only queues the line; a daemon thread appends whatever queued
 * up and flushes at once (a capture is usually read while the proxy runs). A full queue (disk
 * stalled) drops the line and counts it, with a WARN at most once a minute: a handshake must
 * never wait on a disk.
 *
 * <p>The file holds secrets: created 0600 from the first byte, appended to (a restart adds to
 * the capture's log, never truncates it), and refused when it exists readable by others.
 */
final class KeyLogFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLog.class);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final int CAPACITY = 4096;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
    private final OutputStream out;
    private final Path path;
    private final Thread writer;
    private volatile boolean running = true;

    private KeyLogFile(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
        this.writer = new Thread(this::writeLoop, "tollgate-keylog");
        writer.setDaemon(true);
        writer.start();
    }

    static KeyLogFile open(Path path) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (!PRIVATE.containsAll(mode)) {
                throw new IOException("exists with mode " + PosixFilePermissions.toString(mode)
                        + "; a key log must not be readable by others (chmod 600 it, or name a new file)");
            }
        }
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE)}
                : new FileAttribute<?>[0];
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(path, attrs);
            }
            // a stream, not a FileChannel: the interrupt that stops the writer must not close the file
            return new KeyLogFile(path, new BufferedOutputStream(new FileOutputStream(path.toFile(), true)));
        } catch (FileAlreadyExistsException e) {
            return open(path); // created meanwhile: check its mode again
        } catch (IOException e) {
            throw new IOException("cannot open for appending: " + e, e);
        }
    }

    /** Called by BoringSSL on an event loop: never blocks, never throws. */
    void append(byte[] line) {
        if (line == null || line.length == 0) {
            return;
        }
        if (!running || !queue.offer(line)) {
            warnAtMostOncePerMinute(dropped.incrementAndGet());
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void warnAtMostOncePerMinute(long total) {
        long now = System.nanoTime();
        long due = nextWarnNanos.get();
        if (now - due >= 0 && nextWarnNanos.compareAndSet(due, now + WARN_EVERY_NANOS)) {
            LOG.warn("TLS key log {}: {} line(s) dropped in all, the file does not keep up", path, total);
        }
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>(64);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch);
            write(batch);
        }
        queue.drainTo(batch);
        write(batch);
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("TLS key log {}: close failed: {}", path, e.toString());
        }
    }

    private void write(List<byte[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            for (byte[] line : batch) {
                out.write(line);
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            dropped.addAndGet(batch.size());
            LOG.warn("TLS key log {}: write failed, {} line(s) lost: {}", path, batch.size(), e.toString());
        }
        batch.clear();
    }

    void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
