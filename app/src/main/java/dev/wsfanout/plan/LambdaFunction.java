package dev.wsfanout.plan;

/**
 * One Lambda function's execution environments: a warm one is reused without a cold start, and new
 * ones are created no faster than the function scaling rate allows (1,000 every 10 s per function).
 */
final class LambdaFunction {

    /** What an invocation gets: a warm environment, a new (cold) one, or none yet. */
    enum Environment { WARM, COLD, NONE }

    private final String name;
    private final TokenBucket newEnvironments;
    private int idleEnvironments;
    private long invocations;
    private long coldStarts;

    LambdaFunction(String name, int scalePer10Seconds) {
        this.name = name;
        this.newEnvironments = new TokenBucket(scalePer10Seconds, scalePer10Seconds / 10.0);
    }

    String name() {
        return name;
    }

    long invocations() {
        return invocations;
    }

    long coldStarts() {
        return coldStarts;
    }

    Environment claimEnvironment(long nowMicros) {
        if (idleEnvironments > 0) {
            idleEnvironments--;
            invocations++;
            return Environment.WARM;
        }
        if (newEnvironments.take(nowMicros, 1) == 0) {
            return Environment.NONE;
        }
        invocations++;
        coldStarts++;
        return Environment.COLD;
    }

    void releaseEnvironment() {
        idleEnvironments++;
    }
}
