package dev.wsfanout.plan;

/**
 * The account-level API Gateway throttle of one Region, which @connections calls share with every
 * other API of the account: a token bucket of {@code burst} tokens refilled at {@code rps}. A post
 * that finds no token is answered 429.
 */
final class ApiGatewayThrottle {

    private final TokenBucket bucket;
    private final double tokensPerTick;

    ApiGatewayThrottle(double rps, int burst, long tickMicros) {
        this.bucket = new TokenBucket(burst, rps);
        this.tokensPerTick = rps * tickMicros / 1e6;
    }

    /** How many of {@code requests} posts started now are accepted; the rest get 429. */
    int admit(long nowMicros, int requests) {
        return bucket.take(nowMicros, requests);
    }

    /** The bucket holds less than one tick's refill: posts are arriving as fast as the quota allows. */
    boolean drained(long nowMicros) {
        return bucket.available(nowMicros) < tokensPerTick;
    }
}
