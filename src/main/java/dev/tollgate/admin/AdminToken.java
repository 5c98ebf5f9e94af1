package dev.tollgate.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The bearer token that guards the admin listener beyond loopback: read from the configured
 * file, or generated once next to the CA (mode 0600 from the first byte) so a restart keeps it.
 * The token itself is never logged; only the file's path is.
 */
public final class AdminToken {
    public static final String DEFAULT_FILE = "admin-token";
    private static final int MIN_LENGTH = 16;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AdminToken() {}

    /** The token in {@code file}; its first line, which must hold at least 16 characters. */
    public static String read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String token = (nl < 0 ? text : text.substring(0, nl)).strip();
        if (token.length() < MIN_LENGTH) {
            throw new IOException("admin token file " + file + " must hold a token of at least " + MIN_LENGTH
                    + " characters on its first line");
        }
        return token;
    }

    /** Reads {@code file}, creating it with a random token when it does not exist yet. */
    public static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] privateFile = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Files.write(Files.createFile(file, privateFile), (token + "\n").getBytes(StandardCharsets.US_ASCII));
        return token;
    }
}
