package dev.wsfanout.local.gateway;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes ids in the shape API Gateway uses for connection ids, request ids and message ids:
 * 11 random bytes in base64, 16 characters ending in one {@code =} (e.g. {@code L0SM9cOFvHcCIhw=}).
 * The URL-safe alphabet keeps ids free of {@code /} and {@code +}, so they survive any path or
 * form encoding; clients must still URL-encode the trailing {@code =} (the SDK does).
 */
final class IdSource {

    private static final int RANDOM_BYTES = 11;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();

    String next() {
        byte[] bytes = new byte[RANDOM_BYTES];
        ThreadLocalRandom.current().nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
