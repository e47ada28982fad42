package dev.wsfanout.cdk;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.LedgerKeys;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/** The four on-demand tables of docs/contracts.md; CloudFormation names them. */
public final class FanoutTables extends Construct {

    /**
     * The TTL attribute of the connections, broadcasts and deliveries tables (epoch seconds): the
     * handlers' {@code RegistryAttributes.EXPIRES_AT}, written here as a literal because the CDK app
     * depends on the model only.
     */
    static final String EXPIRES_AT = "expiresAt";

    private final Table connections;
    private final Table partitions;
    private final Table broadcasts;
    private final Table deliveries;
    private final String partitionIndexName;

    public FanoutTables(Construct scope, String id, DeployConfig config) {
        super(scope, id);
        FanoutConfig fanout = config.fanout();
        partitionIndexName = fanout.partitionIndex();

        connections = table(config, "Connections", key("connectionId", AttributeType.STRING), null, EXPIRES_AT);
        // KEYS_ONLY: the query step needs nothing but the ids, and the index stays small.
        connections.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(partitionIndexName)
                .partitionKey(key("partitionId", AttributeType.NUMBER))
                .sortKey(key("connectionId", AttributeType.STRING))
                .projectionType(ProjectionType.KEYS_ONLY)
                .build());
        partitions = table(config, "Partitions", key("partitionId", AttributeType.NUMBER), null, null);
        // Broadcast records expire as their ledger does: the writer sets expiresAt.
        broadcasts = table(config, "Broadcasts", key("broadcastId", AttributeType.STRING), null, EXPIRES_AT);
        // The delivery ledger: plan entries, chunk markers and the tallies, each broadcast spread over
        // LedgerKeys.SHARDS partition keys "<broadcastId>#<shard>".
        deliveries = table(config, "Deliveries", key(LedgerKeys.SHARD_KEY, AttributeType.STRING),
                key(LedgerKeys.ENTRY, AttributeType.STRING), EXPIRES_AT);
    }

    private Table table(DeployConfig config, String id, Attribute partitionKey, Attribute sortKey, String ttlAttribute) {
        return Table.Builder.create(this, id)
                .partitionKey(partitionKey)
                .sortKey(sortKey)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(ttlAttribute)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(config.pointInTimeRecovery())
                        .build())
                .removalPolicy(config.removalPolicy())
                .build();
    }

    private static Attribute key(String name, AttributeType type) {
        return Attribute.builder().name(name).type(type).build();
    }

    public Table connections() {
        return connections;
    }

    public Table partitions() {
        return partitions;
    }

    public Table broadcasts() {
        return broadcasts;
    }

    public Table deliveries() {
        return deliveries;
    }

    public String partitionIndexName() {
        return partitionIndexName;
    }

    /** The ARN IAM uses for the partition index: {@code <table arn>/index/<name>}. */
    public String partitionIndexArn() {
        return connections.getTableArn() + "/index/" + partitionIndexName;
    }
}
