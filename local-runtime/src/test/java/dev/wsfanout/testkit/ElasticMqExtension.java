package dev.wsfanout.testkit;

import dev.wsfanout.local.sqs.ElasticMqServer;
import dev.wsfanout.local.sqs.LocalSqsClients;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;

/**
 * Starts one embedded ElasticMQ per test JVM, on a free loopback port, the first time a test asks
 * for it, and stops it when the run ends. Resolves parameters of type {@link SqsClient},
 * {@link SqsAsyncClient} (shared, ready for the server: do not close them), {@link ElasticMqServer},
 * and the endpoint as a {@link URI} annotated {@link SqsEndpoint}. Queues outlive a test class, so
 * each class creates its own uniquely named queues.
 */
public final class ElasticMqExtension implements ParameterResolver {

    /** Marks the {@link URI} parameter that receives the SQS endpoint, {@code http://127.0.0.1:<port>}. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface SqsEndpoint {
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ElasticMqExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SqsClient.class || type == SqsAsyncClient.class || type == ElasticMqServer.class
                || type == URI.class && parameter.isAnnotated(SqsEndpoint.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        Running running = running(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == SqsClient.class) {
            return running.sqs();
        }
        if (type == SqsAsyncClient.class) {
            return running.sqsAsync();
        }
        if (type == ElasticMqServer.class) {
            return running.server();
        }
        return running.server().endpoint();
    }

    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("elasticmq", key -> Running.start(), Running.class);
    }

    /** Closed by JUnit when the run ends: the root store closes its AutoCloseable values. */
    private record Running(ElasticMqServer server, SqsClient sqs, SqsAsyncClient sqsAsync) implements AutoCloseable {

        static Running start() {
            ElasticMqServer server = ElasticMqServer.start();
            return new Running(server, LocalSqsClients.sync(server.endpoint()), LocalSqsClients.async(server.endpoint()));
        }

        @Override
        public void close() {
            try {
                sqsAsync.close();
                sqs.close();
            } finally {
                server.close();
            }
        }
    }
}
