package dev.wsfanout.cells;

import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Step Functions client per cell, in the cell's Region, as the cell's role (the only thing the
 * home account may do there is start and describe the cell's broadcasts). Made at first use and
 * kept for the environment's life; the role's credentials refresh themselves before they expire.
 * A cell with a loopback endpoint (the local cells) is reached with the stand-ins' fixed credentials.
 */
public final class CellSfnClients implements AutoCloseable {

    private static final String SESSION_NAME = "wsfanout-cell-broadcast";

    private final CellDirectory directory;
    private final AwsCredentialsProvider homeCredentials;
    private final Map<String, SfnClient> clients = new ConcurrentHashMap<>();
    private final Map<String, StsClient> stsByRegion = new ConcurrentHashMap<>();

    public CellSfnClients(CellDirectory directory, AwsCredentialsProvider homeCredentials) {
        this.directory = directory;
        this.homeCredentials = homeCredentials;
    }

    /** On Lambda: the function's own credentials assume each cell's role. */
    public static CellSfnClients onAws(CellDirectory directory) {
        return new CellSfnClients(directory, DefaultCredentialsProvider.builder().build());
    }

    public SfnClient client(String cellName) {
        CellDirectory.Cell cell = directory.cell(cellName);
        return clients.computeIfAbsent(cell.name(), name -> build(cell));
    }

    private SfnClient build(CellDirectory.Cell cell) {
        var builder = SfnClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(cell.region()));
        if (cell.endpoint() != null) {
            URI endpoint = URI.create(cell.endpoint());
            builder.endpointOverride(endpoint).credentialsProvider(AwsClients.credentials(Optional.of(endpoint)));
        } else if (cell.roleArn() != null) {
            // STS in the cell's Region: a regional endpoint answers even when another Region is down.
            StsClient sts = stsByRegion.computeIfAbsent(cell.region(), region -> StsClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .region(Region.of(region)).credentialsProvider(homeCredentials).build());
            builder.credentialsProvider(StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> r.roleArn(cell.roleArn()).roleSessionName(SESSION_NAME)).build());
        } else {
            builder.credentialsProvider(homeCredentials);
        }
        return builder.build();
    }

    @Override
    public void close() {
        clients.values().forEach(SfnClient::close);
        stsByRegion.values().forEach(StsClient::close);
    }
}
