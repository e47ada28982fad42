package dev.wsfanout.testkit;

import dev.wsfanout.local.dynamo.DynaliteServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.net.URI;

/**
 * Starts one dynalite per test JVM, on a free loopback port, the first time a test asks for it,
 * and stops it when the run ends. Test classes get its endpoint as a {@link URI} parameter
 * annotated with nothing else; each class creates its own uniquely named tables, so classes never
 * see each other's data.
 */
public final class DynaliteExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DynaliteExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(DynamoEndpoint.class) && parameter.getParameter().getType() == URI.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return server(context).endpoint();
    }

    static DynaliteServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("dynalite", key -> new Running(DynaliteServer.start()), Running.class)
                .server();
    }

    private record Running(DynaliteServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
