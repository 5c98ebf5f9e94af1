package dev.tollgate.ca;

/** Every CA and certificate problem, with a message an operator can act on: the file and what is wrong. */
public class CaException extends Exception {
    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}
