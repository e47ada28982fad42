package dev.wsfanout.cdk;

import java.util.OptionalInt;

/**
 * Size of one function.
 *
 * @param memoryMb            128..10240
 * @param timeoutSeconds      1..900
 * @param reservedConcurrency empty = the function shares the account's unreserved pool
 */
public record FunctionSettings(int memoryMb, int timeoutSeconds, OptionalInt reservedConcurrency) {

    public FunctionSettings(int memoryMb, int timeoutSeconds) {
        this(memoryMb, timeoutSeconds, OptionalInt.empty());
    }
}
