package dev.wsfanout.cells;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the cross-cell state machine (statemachine/cells.asl.json) asks the cellBroadcast function,
 * one record per task, told apart by {@code action}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CellTask.Prepare.class, name = "prepare"),
        @JsonSubTypes.Type(value = CellTask.Claim.class, name = "claim"),
        @JsonSubTypes.Type(value = CellTask.Start.class, name = "start"),
        @JsonSubTypes.Type(value = CellTask.Status.class, name = "status")
})
public sealed interface CellTask {

    /** Checks the execution's input and reads where the number claim starts. */
    record Prepare(String executionName, JsonNode input) implements CellTask {
    }

    /**
     * Claims the broadcast's number: {@code seq} when a rerun gives it, else the first free one from
     * {@code from} (the head Prepare read; a retry scans from the same place, so it finds its own
     * earlier claim before any free number).
     */
    record Claim(String broadcastId, String startedAt, long seq, long from) implements CellTask {
    }

    /** Starts the cell's broadcast execution (idempotent for the same name and input). */
    record Start(String cell, String executionName, JsonNode input) implements CellTask {
    }

    /** Waits up to {@code waitSeconds} for the cell's execution to end, and says how it stands. */
    record Status(String cell, String executionArn, int waitSeconds) implements CellTask {
    }
}
