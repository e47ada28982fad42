package dev.wsfanout.local.gateway;

import dev.wsfanout.local.LocalCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.net.URI;

/** The real SDK management client pointed at a local gateway, as the postMessage handler builds it. */
final class ManagementApiClients {

    private ManagementApiClients() {
    }

    /** A client that makes one attempt per call, so tests see each answer of the gateway. */
    static ApiGatewayManagementApiClient withoutRetries(URI endpoint) {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LocalCredentials.PROVIDER)
                .overrideConfiguration(config -> config.retryStrategy(retry -> retry.maxAttempts(1)))
                .build();
    }
}
