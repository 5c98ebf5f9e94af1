package dev.tollgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/**
 * A path typed on the command line, taken relative to the directory the user ran the command
 * in. {@code scripts/tollgate} starts the JVM in the project root, so that the defaults
 * ({@code config/tollgate.yaml}, {@code certs/}) are the project's wherever it is called from,
 * and passes the caller's directory in {@value #PROPERTY}; without it (the jar run directly,
 * the service) the working directory is the caller's already. Defaults never pass through
 * here: options with a default path leave the field null and fall back in code.
 */
final class CallerPath implements ITypeConverter<Path> {
    static final String PROPERTY = "tollgate.callerDir";

    @Override
    public Path convert(String value) {
        return resolve(value);
    }

    static Path resolve(String value) {
        Path path = Path.of(value);
        String caller = System.getProperty(PROPERTY);
        return caller == null || caller.isEmpty() || path.isAbsolute()
                ? path
                : Path.of(caller).resolve(path);
    }
}
