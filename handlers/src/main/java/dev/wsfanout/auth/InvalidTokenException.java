package dev.wsfanout.auth;

/** A token that does not open the door, with the reason (logged, never told to the client). */
public final class InvalidTokenException extends Exception {

    public InvalidTokenException(String reason) {
        super(reason);
    }

    public InvalidTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
