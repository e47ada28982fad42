package dev.wsfanout.fanout;

/** What one PostToConnection call came to. */
public enum PostOutcome {
    /** 200: the message is on its way to the client. */
    DELIVERED,
    /** 410: the connection is gone; it leaves the registry. */
    GONE,
    /** 429 (LimitExceededException): the quota said "slower", not "no"; retried later without spending an attempt. */
    THROTTLED,
    /** 5xx or no answer: worth another attempt later. */
    RETRYABLE,
    /** Never tried: the invocation's time budget ran out first. Costs the connection no attempt. */
    NOT_ATTEMPTED,
    /** Anything else (403, 413, 400): another attempt would fail the same way. */
    REJECTED
}
