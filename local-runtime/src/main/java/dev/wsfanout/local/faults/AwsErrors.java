package dev.wsfanout.local.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wsfanout.model.JsonCodec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The error responses AWS sends, byte for byte where it matters to an SDK: status, {@code __type} (the SDK
 * picks the exception class from the part after {@code #}), message, and the headers the SDKs read. Sources
 * are listed in docs/fault-proxy.md.
 */
final class AwsErrors {

    private static final String JSON_1_0 = "application/x-amz-json-1.0";

    /** Where AWS query-compatible services (SQS) put the query protocol's error code; the SDK's errorCode() is read from it. */
    private static final String QUERY_ERROR_HEADER = "x-amzn-query-error";

    /** DynamoDB sends the CRC32 of every response body; its SDKs verify the body against it when present. */
    private static final String CRC32_HEADER = "x-amz-crc32";

    private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    /** One error response: status, the JSON body {@code {"__type":...,"message":...}}, and for SQS the query error code. */
    private record Shape(HttpResponseStatus status, byte[] body, String queryError) {
        Shape(HttpResponseStatus status, String type, String message, String queryError) {
            this(status, json(type, message), queryError);
        }
    }

    private static final String THROTTLE_TYPE = "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
    private static final String THROTTLE_MESSAGE = "The level of configured provisioned throughput for the table was exceeded. "
            + "Consider increasing your provisioning level with the UpdateTable API.";
    private static final String VALIDATION_TYPE = "com.amazon.coral.validate#ValidationException";
    private static final Shape DYNAMODB_THROTTLE = new Shape(HttpResponseStatus.BAD_REQUEST, THROTTLE_TYPE, THROTTLE_MESSAGE, null);
    private static final Shape DYNAMODB_THROTTLING_EXCEPTION = new Shape(HttpResponseStatus.BAD_REQUEST,
            "com.amazon.coral.availability#ThrottlingException",
            "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling "
                    + "your table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
                    + "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html",
            null);
    private static final Shape DYNAMODB_SERVER_ERROR = new Shape(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error", null);
    private static final Shape SQS_THROTTLE = new Shape(HttpResponseStatus.BAD_REQUEST,
            "com.amazonaws.sqs#RequestThrottled", "Request is throttled.", "RequestThrottled;Sender");
    private static final Shape SQS_SERVER_ERROR = new Shape(HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "com.amazonaws.sqs#InternalError", "We encountered an internal error. Please try again.", "InternalError;Receiver");

    private AwsErrors() {
    }

    /**
     * The response {@code service} sends for {@code kind}, one of THROTTLE, THROTTLING_EXCEPTION (DynamoDB
     * only) and SERVER_ERROR.
     */
    static FullHttpResponse response(AwsService service, FaultKind kind) {
        return response(service, shape(service, kind));
    }

    /** DynamoDB's 400 ValidationException with {@code message}, as it refuses an item over 400 KB or a batch over 25. */
    static FullHttpResponse dynamoDbValidation(String message) {
        return response(AwsService.DYNAMODB, new Shape(HttpResponseStatus.BAD_REQUEST, VALIDATION_TYPE, message, null));
    }

    /**
     * DynamoDB's throttle for a key over its partition's throughput: the {@link FaultKind#THROTTLE} body with the
     * {@code ThrottlingReasons} DynamoDB adds (reason e.g. {@code TableWriteKeyRangeThroughputExceeded}, resource the
     * table's or index's ARN), which SDK 2.57 reads into {@code throttlingReasons()}.
     */
    static FullHttpResponse dynamoDbKeyRangeThrottle(String reason, String resourceArn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", THROTTLE_TYPE);
        body.put("message", THROTTLE_MESSAGE);
        body.put("ThrottlingReasons", List.of(Map.of("reason", reason, "resource", resourceArn)));
        return response(AwsService.DYNAMODB, new Shape(HttpResponseStatus.BAD_REQUEST, json(body), null));
    }

    private static FullHttpResponse response(AwsService service, Shape shape) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, shape.status(),
                Unpooled.wrappedBuffer(shape.body()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, JSON_1_0);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, shape.body().length);
        if (service == AwsService.DYNAMODB) {
            headers.set(REQUEST_ID_HEADER, dynamoDbRequestId());
            headers.set(CRC32_HEADER, crc32(shape.body()));
        } else {
            headers.set(REQUEST_ID_HEADER, UUID.randomUUID().toString());
            headers.set(QUERY_ERROR_HEADER, shape.queryError());
        }
        return response;
    }

    private static Shape shape(AwsService service, FaultKind kind) {
        return switch (service) {
            case DYNAMODB -> switch (kind) {
                case THROTTLE -> DYNAMODB_THROTTLE;
                case THROTTLING_EXCEPTION -> DYNAMODB_THROTTLING_EXCEPTION;
                case SERVER_ERROR -> DYNAMODB_SERVER_ERROR;
                default -> throw new IllegalArgumentException(kind + " is not an error response");
            };
            case SQS -> switch (kind) {
                case THROTTLE -> SQS_THROTTLE;
                case SERVER_ERROR -> SQS_SERVER_ERROR;
                default -> throw new IllegalArgumentException(kind + " is not an SQS error response");
            };
        };
    }

    private static byte[] json(String type, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put("message", message);
        return json(body);
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return JsonCodec.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return Long.toString(crc.getValue());
    }

    /** DynamoDB's request ids are 52 characters of upper-case letters and digits. */
    private static String dynamoDbRequestId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(52);
        for (int i = 0; i < 52; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
