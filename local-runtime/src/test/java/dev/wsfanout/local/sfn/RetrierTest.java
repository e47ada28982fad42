package dev.wsfanout.local.sfn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retry timing and matching as the AWS developer guide's "Retrying after an error" section defines them. */
class RetrierTest {

    @Test
    void defaultsAreOneSecondThreeAttemptsDoubling() {
        Retrier retrier = Retrier.of(Map.of("ErrorEquals", List.of("States.ALL")));
        assertEquals(3, retrier.maxAttempts());
        assertEquals(List.of(1.0, 2.0, 4.0), List.of(retrier.delaySeconds(1), retrier.delaySeconds(2), retrier.delaySeconds(3)));
        assertFalse(retrier.fullJitter());
    }

    @Test
    void maxDelaySecondsCapsTheBackoff() {
        Retrier retrier = Retrier.of(Map.of("ErrorEquals", List.of("X"), "IntervalSeconds", 3L, "BackoffRate", 3.0, "MaxDelaySeconds", 20L,
                "JitterStrategy", "FULL"));
        assertEquals(List.of(3.0, 9.0, 20.0), List.of(retrier.delaySeconds(1), retrier.delaySeconds(2), retrier.delaySeconds(3)));
        assertTrue(retrier.fullJitter());
    }

    @Test
    void wildcardsSkipRuntimeAndTerminalErrorsAndTaskFailedSkipsTimeouts() {
        assertTrue(new StatesError("Lambda.ServiceException", "").matches("States.ALL"));
        assertFalse(new StatesError("States.Runtime", "").matches("States.ALL"));
        // a task result over the payload quota is caught by States.ALL (AWS's recorded history); an output over it is terminal
        assertTrue(new StatesError("States.DataLimitExceeded", "").matches("States.ALL"));
        assertFalse(StatesError.terminal("States.DataLimitExceeded", "").matches("States.ALL"));
        assertFalse(StatesError.terminal("States.DataLimitExceeded", "").matches("States.DataLimitExceeded"));
        assertTrue(new StatesError("States.Runtime", "").matches("States.Runtime"));
        assertTrue(new StatesError("java.lang.IllegalStateException", "").matches("States.TaskFailed"));
        assertFalse(new StatesError("States.Timeout", "").matches("States.TaskFailed"));
        assertTrue(new StatesError("States.Timeout", "").matches("States.ALL"));
        assertFalse(new StatesError("A", "").matches("B"));
    }
}
