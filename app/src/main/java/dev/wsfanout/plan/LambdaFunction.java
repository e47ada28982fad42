package dev.wsfanout.plan;

/**
 * One Lambda function's execution environments: a warm one is reused without a cold start, and new
 * ones are created no faster than the function scaling rate allows (1,000 every 10 s per function).
 */
final class LambdaFunction {

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

    /** Claims an environment: 0 for a warm one, 1 for a new (cold) one, -1 when none may be created yet. */
    int claimEnvironment(long nowMicros) {
        if (idleEnvironments > 0) {
            idleEnvironments--;
            invocations++;
            return 0;
        }
        if (newEnvironments.take(nowMicros, 1) == 0) {
            return -1;
        }
        invocations++;
        coldStarts++;
        return 1;
    }

    void releaseEnvironment() {
        idleEnvironments++;
    }
}
