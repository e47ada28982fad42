package dev.wsfanout.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * The state machine's question to the audit function: the broadcast's counts now
 * ({@code recount=false}, every poll: one BatchGetItem of its tallies), or a recount from the chunk
 * markers and the persisted plan ({@code recount=true}, before a deadline is declared passed).
 */
public record AuditRequest(String broadcastId, boolean recount) {

    @JsonCreator
    public AuditRequest(@JsonProperty(value = "broadcastId", required = true) String broadcastId,
                        @JsonProperty("recount") boolean recount) {
        this.broadcastId = Objects.requireNonNull(broadcastId, "broadcastId");
        this.recount = recount;
    }
}
