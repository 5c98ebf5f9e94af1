package dev.tollgate.cli;

/** The proxy could not start; the message says why and what to do. Exit status 1. */
final class StartupException extends RuntimeException {
    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
