package dev.wsfanout.cli;

import dev.wsfanout.stack.LocalDeployment;
import dev.wsfanout.stack.LocalDeploymentOptions;

/**
 * The local stack with its live page and an SfnClient on its Step Functions endpoint: what
 * {@code wsfanout local} and {@code wsfanout demo} run.
 */
public final class LiveStack implements AutoCloseable {

    /** Who the live page is in the registry, when $connect needs a token. */
    static final String LIVE_PAGE_SUBJECT = "live-page";

    private final LocalDeployment stack;
    private final BroadcastTarget target;
    private final LivePageServer page;

    private LiveStack(LocalDeployment stack, BroadcastTarget target, LivePageServer page) {
        this.stack = stack;
        this.target = target;
        this.page = page;
    }

    /**
     * @param pagePort 0 for a free port
     * @throws CliException if a port is in use
     */
    public static LiveStack start(LocalDeploymentOptions options, int pagePort) {
        LocalDeployment stack = startStack(options);
        BroadcastTarget target = null;
        try {
            target = BroadcastTarget.local(stack.stepFunctionsEndpoint(), stack.stateMachineArn(), stack.dynamoEndpoint(),
                    stack.config().broadcastsTable(), stack.config().deliveriesTable());
            LivePageServer page = LivePageServer.start(target, ConnectUrls.of(stack, LIVE_PAGE_SUBJECT), pagePort);
            return new LiveStack(stack, target, page);
        } catch (RuntimeException e) {
            if (target != null) {
                target.close();
            }
            stack.close();
            throw e;
        }
    }

    /** The gateway and the Step Functions server name a taken port as "port N is in use (...)". */
    private static LocalDeployment startStack(LocalDeploymentOptions options) {
        try {
            return LocalDeployment.start(options);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("is in use")) {
                throw new CliException(CliException.REFUSED, e.getMessage()
                        + ": stop the other wsfanout or pass 0 as its port for a free one", e);
            }
            throw e;
        }
    }

    public LocalDeployment stack() {
        return stack;
    }

    public BroadcastTarget target() {
        return target;
    }

    public LivePageServer page() {
        return page;
    }

    /** What {@link LocalDeploymentFile} records so other terminals can find this stack. */
    public RunningStack describe() {
        return describe(stack, page.uri().toString());
    }

    /** A running deployment as the state file records it; {@code livePageUrl} null when it has no page (a cell). */
    static RunningStack describe(LocalDeployment stack, String livePageUrl) {
        return new RunningStack(ProcessHandle.current().pid(), stack.stepFunctionsEndpoint().toString(),
                stack.stateMachineArn(), stack.dynamoEndpoint().toString(), stack.config().broadcastsTable(),
                stack.config().deliveriesTable(), stack.config().connectionsTable(),
                stack.gateway().webSocketUri().toString(), stack.gateway().managementEndpoint().toString(),
                livePageUrl, stack.config().partitionsTable(), stack.config().partitionCount(),
                stack.options().connectTokenSecret());
    }

    @Override
    public void close() {
        page.close();
        target.close();
        stack.close();
    }
}
