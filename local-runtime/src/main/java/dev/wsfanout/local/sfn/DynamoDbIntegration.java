package dev.wsfanout.local.sfn;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * arn:aws:states:::dynamodb:putItem/getItem/updateItem/deleteItem through a real DynamoDbClient.
 * Arguments use the API's member names and attribute-value JSON; the result is the API response
 * in the same form (getItem → {"Item": {"id": {"S": ".."}}}). Service errors become task errors
 * named "DynamoDB.&lt;ErrorCode&gt;" (AWS developer guide, "Perform DynamoDB CRUD operations with
 * Step Functions").
 */
final class DynamoDbIntegration implements TaskIntegration {

    private final DynamoDbClient client;

    DynamoDbIntegration(DynamoDbClient client) {
        this.client = client;
    }

    @Override
    public Object call(TaskResource resource, Object arguments) {
        if (client == null) {
            throw new StatesError(StatesError.RUNTIME, "The task " + resource.arn() + " needs DynamoDB, but the local Step Functions"
                    + " runtime was built without a DynamoDbClient (TaskResources.builder().dynamoDb(client))");
        }
        if (!(arguments instanceof Map<?, ?>)) {
            throw new StatesError("DynamoDB.ValidationException", "The arguments of " + resource.arn() + " must be an object");
        }
        Map<String, Object> args = Json.asObject(arguments);
        DynamoDbResponse response;
        try {
            response = switch (resource.action()) {
                case "putItem" -> client.putItem(SdkPojoJson.<PutItemRequest>toPojo(args, (SdkPojo) PutItemRequest.builder(), "dynamodb:putItem"));
                case "getItem" -> client.getItem(SdkPojoJson.<GetItemRequest>toPojo(args, (SdkPojo) GetItemRequest.builder(), "dynamodb:getItem"));
                case "updateItem" -> client.updateItem(SdkPojoJson.<UpdateItemRequest>toPojo(args, (SdkPojo) UpdateItemRequest.builder(), "dynamodb:updateItem"));
                case "deleteItem" -> client.deleteItem(SdkPojoJson.<DeleteItemRequest>toPojo(args, (SdkPojo) DeleteItemRequest.builder(), "dynamodb:deleteItem"));
                default -> throw new StatesError(StatesError.RUNTIME, "unsupported DynamoDB action " + resource.action());
            };
        } catch (IllegalArgumentException e) {
            throw new StatesError("DynamoDB.ValidationException", e.getMessage());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "AmazonDynamoDBException" : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new StatesError("DynamoDB." + code, message + " (Service: AmazonDynamoDBv2; Status Code: " + e.statusCode()
                    + "; Error Code: " + code + "; Request ID: " + e.requestId() + "; Proxy: null)");
        } catch (SdkClientException e) {
            throw new StatesError("DynamoDB.SdkClientException", e.getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>(SdkPojoJson.toJson(response));
        String requestId = response.responseMetadata().requestId();
        result.put("SdkHttpMetadata", Map.of("HttpHeaders", Map.of("Content-Type", "application/x-amz-json-1.0",
                "x-amzn-RequestId", requestId), "HttpStatusCode", (long) response.sdkHttpResponse().statusCode()));
        result.put("SdkResponseMetadata", Map.of("RequestId", requestId));
        return result;
    }
}
