package dev.wsfanout.aws;

import dev.wsfanout.local.LocalCredentials;
import dev.wsfanout.model.FanoutConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The handlers sign requests to a loopback endpoint with the local emulators' dummy pair; the Lambda
 * jar cannot depend on local-runtime's {@link LocalCredentials}, so this checks the two agree.
 */
class AwsClientsLocalCredentialsTest {

    @Test
    void aLoopbackEndpointGetsTheLocalRuntimesDummyCredentials() {
        FanoutConfig config = FanoutConfig.fromEnv(Map.of(FanoutConfig.DYNAMODB_ENDPOINT, "http://127.0.0.1:4567"));
        try (DynamoDbClient dynamo = new AwsClients(config, Map.of()).dynamoDb()) {
            AwsCredentials used = (AwsCredentials) dynamo.serviceClientConfiguration().credentialsProvider()
                    .resolveIdentity().join();
            AwsCredentials local = LocalCredentials.PROVIDER.resolveCredentials();
            assertEquals(local.accessKeyId(), used.accessKeyId());
            assertEquals(local.secretAccessKey(), used.secretAccessKey());
        }
    }
}
