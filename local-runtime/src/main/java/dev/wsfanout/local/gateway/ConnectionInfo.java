package dev.wsfanout.local.gateway;

import java.util.List;
import java.util.Map;

/**
 * What is known about a connection from its upgrade request: the facts API Gateway repeats in
 * every event of the connection and returns from {@code GET @connections/{id}}.
 *
 * @param headers         upgrade request headers, names as the client sent them
 * @param queryParameters query string of the upgrade request, decoded
 */
record ConnectionInfo(String connectionId, long connectedAtMillis, String sourceIp, String userAgent,
                      Map<String, List<String>> headers, Map<String, List<String>> queryParameters) {

    ConnectionInfo {
        headers = Map.copyOf(headers);
        queryParameters = Map.copyOf(queryParameters);
    }
}
