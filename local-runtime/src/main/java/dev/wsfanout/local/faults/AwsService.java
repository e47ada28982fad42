package dev.wsfanout.local.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The services the fault proxy knows how to answer for. A request names its service and operation in
 * its {@code X-Amz-Target} header ({@code DynamoDB_20120810.PutItem}, {@code AmazonSQS.SendMessageBatch}):
 * both speak the AWS JSON 1.0 protocol, where that header is the whole of the routing.
 */
public enum AwsService {
    DYNAMODB("DynamoDB_20120810."),
    SQS("AmazonSQS.");

    private final String targetPrefix;

    AwsService(String targetPrefix) {
        this.targetPrefix = targetPrefix;
    }

    /** The name used in fault plans: {@code dynamodb}, {@code sqs}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known services when {@code name} is none of them */
    public static AwsService fromJsonName(String name) {
        for (AwsService service : values()) {
            if (service.jsonName().equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("service \"" + name + "\" is not one of "
                + Arrays.stream(values()).map(AwsService::jsonName).collect(Collectors.joining(", ")));
    }

    /** The service an {@code X-Amz-Target} value addresses, or null when it is absent or addresses another. */
    static AwsService ofTarget(String target) {
        if (target != null) {
            for (AwsService service : values()) {
                if (target.startsWith(service.targetPrefix)) {
                    return service;
                }
            }
        }
        return null;
    }

    /** The operation of a target this service owns: the part after the prefix. */
    String operationOf(String target) {
        return target.substring(targetPrefix.length());
    }
}
