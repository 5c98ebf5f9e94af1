package dev.tollgate.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Why a file named by the operator cannot be read, in words fit for an error that names its flag or key. */
public final class ReadableFile {
    private ReadableFile() {}

    /** @return null when {@code file} is a regular file this process may read, else the reason, with where it looked */
    public static String problem(Path file) {
        String where = file.isAbsolute() ? "" : " (" + file.toAbsolutePath() + ")";
        if (!Files.exists(file)) {
            return "does not exist" + where;
        }
        if (Files.isDirectory(file)) {
            return "is a directory, not a file" + where;
        }
        if (!Files.isReadable(file)) {
            return "is not readable by this user" + where;
        }
        return null;
    }
}
