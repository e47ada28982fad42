package dev.wsfanout.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossCellRequestTest {

    @Test
    void aNewBroadcastGoesToEveryCellAndARerunNamesWhatItCompletes() {
        CrossCellRequest fresh = CrossCellRequest.fromJson("{\"message\":{\"text\":\"hi\"}}");
        assertFalse(fresh.rerun());
        assertEquals(List.of(), fresh.cells());

        CrossCellRequest rerun = CrossCellRequest.fromJson("{\"message\":\"hi\",\"broadcastId\":\"b-1\",\"seq\":7,\"cells\":[\"c2\"]}");
        assertTrue(rerun.rerun());
        assertEquals(7, rerun.seq());
        assertEquals(List.of("c2"), rerun.cells());
    }

    @Test
    void eachBrokenRuleIsNamed() {
        assertProblem("{\"message\":\"x\",\"cells\":[\"c1\"]}", "cells chooses the cells of a rerun");
        assertProblem("{\"message\":\"x\",\"seq\":3}", "got only seq");
        assertProblem("{\"message\":\"x\",\"broadcastId\":\"b\"}", "got only broadcastId");
        assertProblem("{\"message\":\"x\",\"broadcastId\":\"b\",\"seq\":-1}", "seq must be a positive integer");
        assertProblem("{\"message\":\"x\",\"broadcastId\":\"b\",\"seq\":1,\"cells\":[\"c1\",\"c1\"]}", "cells lists c1 twice");
        assertProblem("{\"message\":\"x\",\"broadcastId\":\"" + "b".repeat(81) + "\",\"seq\":1}", "1 to 80 characters");
        assertProblem("{\"cells\":[]}", "message");
        assertProblem("{\"message\":\"x\",\"colour\":\"red\"}", "colour");
        assertProblem("{\"message\":\"" + "x".repeat(MessageLimits.MAX_MESSAGE_BYTES) + "\"}", "the limit is 130912");
    }

    private static void assertProblem(String json, String expected) {
        String message = assertThrows(BroadcastRequest.InvalidBroadcastException.class, () -> CrossCellRequest.fromJson(json)).getMessage();
        assertTrue(message.contains(expected), message);
    }
}
