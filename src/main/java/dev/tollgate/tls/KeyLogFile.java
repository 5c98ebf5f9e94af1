package dev.tollgate.tls;

import dev.tollgate.io.Handoff;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key log file and its writer. BoringSSL calls back on the event loop in the middle of a
 * handshake, so the callback only hands the line to a {@link Handoff}, whose thread appends
 * whatever queued up and flushes at once. A full queue (disk stalled) drops the line and counts
 * it, with a WARN at most once a minute: a handshake must never wait on a disk.
 *
 * <p>The file holds secrets: created 0600 from the first byte, appended to (a restart adds to
 * the capture's log, never truncates it), and refused when it exists readable by others.
 */
final class KeyLogFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLog.class);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final int CAPACITY = 4096;

    private final Handoff<byte[]> handoff;
    private final AtomicLong lost = new AtomicLong();
    private final OutputStream out;
    private final Path path;

    private KeyLogFile(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
        this.handoff = new Handoff<>("tollgate-keylog", CAPACITY, Duration.ZERO, this::write, this::closeFile);
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
        if (line != null && line.length > 0 && !handoff.offer(line) && handoff.warningDue()) {
            LOG.warn("TLS key log {}: {} line(s) dropped in all, the file does not keep up", path, dropped());
        }
    }

    long dropped() {
        return handoff.dropped() + lost.get();
    }

    private void write(List<byte[]> batch) {
        try {
            for (byte[] line : batch) {
                out.write(line);
                out.write('\n');
            }
            out.flush(); // at once: a capture is usually read while the proxy runs
        } catch (IOException e) {
            lost.addAndGet(batch.size());
            LOG.warn("TLS key log {}: write failed, {} line(s) lost: {}", path, batch.size(), e.toString());
        }
    }

    private void closeFile() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("TLS key log {}: close failed: {}", path, e.toString());
        }
    }

    void close() {
        handoff.close();
    }
}
