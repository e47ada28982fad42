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
}
