package dev.wsfanout.local.sqs;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One embedded ElasticMQ per test class, with its clients, for the classes whose queues have fixed
 * names (a server shared by the run, {@link dev.wsfanout.testkit.ElasticMqExtension}, would mix
 * them); classes that name their queues uniquely use the shared one. Register it as
 * {@code @RegisterExtension static final ElasticMqTestServer ELASTIC_MQ = new ElasticMqTestServer();}.
 */
final class ElasticMqTestServer implements BeforeAllCallback, AfterAllCallback {

    private ElasticMqServer server;
    private SqsClient sqs;
    private SqsAsyncClient sqsAsync;
    private SqsTestQueues queues;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = ElasticMqServer.start();
        sqs = LocalSqsClients.sync(server.endpoint());
        sqsAsync = LocalSqsClients.async(server.endpoint());
        queues = new SqsTestQueues(sqs);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sqsAsync.close();
        sqs.close();
        server.close();
    }

    ElasticMqServer server() {
        return server;
    }

    SqsClient sqs() {
        return sqs;
    }

    SqsAsyncClient sqsAsync() {
        return sqsAsync;
    }

    SqsTestQueues queues() {
        return queues;
    }
}
