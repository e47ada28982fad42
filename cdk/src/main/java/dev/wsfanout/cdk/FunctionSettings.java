package dev.wsfanout.cdk;

import java.util.OptionalInt;

/**
 * Size of one function.
 *
 * @param memoryMb            128..10240
 * @param timeoutSeconds      1..900
 * @param reservedConcurrency empty (or 0, which means the same) = the function shares the account's
 *                            unreserved pool; Lambda's own meaning of 0 (never run) is not offered
 */
public record FunctionSettings(int memoryMb, int timeoutSeconds, OptionalInt reservedConcurrency) {

    public FunctionSettings {
        if (reservedConcurrency == null || reservedConcurrency.isPresent() && reservedConcurrency.getAsInt() == 0) {
            reservedConcurrency = OptionalInt.empty();
        }
    }

    public FunctionSettings(int memoryMb, int timeoutSeconds) {
        this(memoryMb, timeoutSeconds, OptionalInt.empty());
    }
}
