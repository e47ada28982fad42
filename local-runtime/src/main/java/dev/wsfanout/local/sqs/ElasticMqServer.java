package dev.wsfanout.local.sqs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

import java.net.BindException;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded ElasticMQ speaking the SQS wire protocols (JSON and query) on 127.0.0.1. Queue URLs
 * look like {@code http://127.0.0.1:<port>/000000000000/<name>} and queue ARNs like
 * {@code arn:aws:sqs:us-east-1:000000000000:<name>}, so clients configured for us-east-1 see the
 * same shapes they see on AWS.
 */
public final class ElasticMqServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    private static final long STOP_TIMEOUT_SECONDS = 10;

    /*
     * ElasticMQ logs every queue it creates at INFO and pekko logs at DEBUG through slf4j; a local
     * stack with ten shards would drown its own output. Daemon threads keep a forgotten server from
     * holding the JVM open.
     */
    private static final String QUIET_CONFIG = String.join("\n",
            "pekko.loglevel = ERROR",
            "pekko.stdout-loglevel = OFF",
            "pekko.log-dead-letters = off",
            "pekko.log-dead-letters-during-shutdown = off",
            "pekko.daemonic = on",
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off");

    private final ActorSystem actorSystem;
    private final Http.ServerBinding binding;
    private final URI endpoint;

    private ElasticMqServer(ActorSystem actorSystem, Http.ServerBinding binding) {
        this.actorSystem = actorSystem;
        this.binding = binding;
        this.endpoint = URI.create("http://" + HOST + ":" + binding.localAddress().getPort());
    }

    /** Starts a server on a free loopback port. */
    public static ElasticMqServer start() {
        return start(0);
    }

    /**
     * Starts a server on {@code port} (0 = any free port).
     *
     * @throws IllegalStateException naming the address when the port is already taken
     */
    public static ElasticMqServer start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ElasticMQ port must be 0..65535, was " + port);
        }
        ClassLoader loader = ElasticMqServer.class.getClassLoader();
        Config config = ConfigFactory.parseString(QUIET_CONFIG).withFallback(ConfigFactory.load(loader));
        ActorSystem actorSystem = ActorSystem.create("elasticmq", config, loader);
        try {
            SQSRestServer server = SQSRestServerBuilder.withActorSystem(actorSystem)
                    .withInterface(HOST)
                    .withPort(port)
                    .withAWSRegion(REGION)
                    .withAWSAccountId(ACCOUNT_ID)
                    .start();
            return new ElasticMqServer(actorSystem, await(server.startFuture()));
        } catch (RuntimeException | Error e) {
            terminate(actorSystem);
            if (isBindFailure(e)) {
                throw new IllegalStateException("cannot start ElasticMQ on " + HOST + ":" + port
                        + ": port already in use", e);
            }
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}, the SQS endpoint override for SDK clients. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** Unbinds the port and stops ElasticMQ; queues and their messages are gone afterwards. */
    @Override
    public void close() {
        try {
            await(binding.unbind());
        } finally {
            terminate(actorSystem);
        }
    }

    private static void terminate(ActorSystem actorSystem) {
        actorSystem.terminate();
        try {
            actorSystem.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ElasticMQ did not stop within " + STOP_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return FutureConverters.asJava(future).toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for ElasticMQ", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("ElasticMQ failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("ElasticMQ did not answer within " + STOP_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
