package dev.wsfanout.cells;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one cell's broadcast stands: RUNNING, or how it ended (the Step Functions execution status).
 *
 * @param audit the cell's audit (its execution's output) once it SUCCEEDED
 * @param error its error and cause once it failed, timed out or was aborted; the cause cut to
 *              {@link #MAX_CAUSE_CHARS} so ten failed cells fit the cross-cell audit's 32,768
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CellStatus(String cell, String status, String executionArn, JsonNode audit, String error, String cause) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    static final int MAX_CAUSE_CHARS = 1_000;

    public CellStatus {
        if (cause != null && cause.length() > MAX_CAUSE_CHARS) {
            cause = cause.substring(0, MAX_CAUSE_CHARS) + "…";
        }
    }
}
