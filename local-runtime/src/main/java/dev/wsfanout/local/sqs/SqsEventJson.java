package dev.wsfanout.local.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The event Lambda's SQS event-source mapping hands a function: {@code {"Records":[...]}} with one
 * record per received message, field for field as Lambda writes it (camelCase record fields,
 * system attributes under their SQS names, message attributes with empty list values).
 *
 * @param queueArn the queue's ARN, {@code arn:aws:sqs:<region>:<account>:<name>}; also the source of {@code awsRegion}
 */
public record SqsEventJson(String queueArn) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ARN_REGION_FIELD = 3;

    public SqsEventJson {
        Objects.requireNonNull(queueArn, "queueArn");
        String[] parts = queueArn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs") || parts[ARN_REGION_FIELD].isEmpty()) {
            throw new IllegalArgumentException("not an SQS queue ARN: '" + queueArn + "'");
        }
    }

    public String region() {
        return queueArn.split(":")[ARN_REGION_FIELD];
    }

    public byte[] toJson(List<Message> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            records.add(record(message));
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the SQS event of queue " + queueArn, e);
        }
    }

    private ObjectNode record(Message message) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        ObjectNode attributes = record.putObject("attributes");
        // Sorted for a stable event; SQS returns only the attributes the message has.
        new TreeMap<>(message.attributesAsStrings()).forEach(attributes::put);
        ObjectNode messageAttributes = record.putObject("messageAttributes");
        new TreeMap<>(message.messageAttributes()).forEach((name, value) -> messageAttributes.set(name, attribute(value)));
        record.put("md5OfBody", message.md5OfBody());
        if (message.md5OfMessageAttributes() != null) {
            record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        }
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", region());
        return record;
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode attribute = JSON.createObjectNode();
        if (value.stringValue() != null) {
            attribute.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            attribute.put("binaryValue", base64(value.binaryValue()));
        }
        ArrayNode strings = attribute.putArray("stringListValues");
        value.stringListValues().forEach(strings::add);
        ArrayNode binaries = attribute.putArray("binaryListValues");
        value.binaryListValues().forEach(bytes -> binaries.add(base64(bytes)));
        attribute.put("dataType", value.dataType());
        return attribute;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }
}
