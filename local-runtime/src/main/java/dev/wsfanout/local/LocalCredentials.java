package dev.wsfanout.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The dummy credentials every client of the local emulators signs with (dynalite, ElasticMQ, the
 * local Step Functions and the gateway's management API check none). The handlers' own
 * {@code AwsClients} chooses the same pair for a loopback endpoint (it cannot depend on this module).
 */
public final class LocalCredentials {

    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local";

    public static final StaticCredentialsProvider PROVIDER =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));

    private LocalCredentials() {
    }
}
