package dev.wsfanout.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB attribute values the handlers write. */
public final class DynamoValues {

    private DynamoValues() {
    }

    /** A number attribute ({@code N}) holding {@code value}. */
    public static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
