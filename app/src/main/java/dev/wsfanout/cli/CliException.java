package dev.wsfanout.cli;

/**
 * A failure a person can act on: its message is the one line the CLI prints (no stack trace
 * unless {@code --debug}), and it carries the process exit code.
 */
public final class CliException extends RuntimeException {

    /** Something went wrong at run time: stack not running, execution not found, message too large. */
    public static final int FAILED = 1;
    /** The environment refused the request as given (a port in use, too many clients for the fd limit). */
    public static final int REFUSED = 2;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
