package dev.wsfanout.local.gateway;

/**
 * Which API and stage this gateway pretends to be: the values API Gateway puts into every event's
 * requestContext ({@code apiId}, {@code stage}, {@code domainName}).
 */
record ApiStage(String apiId, String stage, String domainName) {

    /** The path prefix of this stage, as clients and the management API use it: {@code /local}. */
    String pathPrefix() {
        return "/" + stage;
    }

    /** The Region of the authorizer's method ARN: the one the local stack's SDK clients use. */
    String region() {
        return "us-east-1";
    }

    /** The account of the authorizer's method ARN, as LocalStack and the other emulators spell "no account". */
    String accountId() {
        return "000000000000";
    }
}
