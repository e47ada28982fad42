package dev.wsfanout.cli;

import dev.wsfanout.local.faults.FaultPlan;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.stack.LocalCells;
import dev.wsfanout.stack.LocalDeploymentOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code wsfanout local}: the whole stack on loopback until Ctrl-C. It announces itself in the
 * state file so {@code send} and {@code audit} in another terminal find it, and removes the file
 * and every port and child process when it stops.
 */
@Command(name = "local", sortOptions = false, description = "Run wsfanout on this machine (loopback only) until Ctrl-C: "
        + "the WebSocket API, its @connections API, the broadcast state machine on a Step Functions endpoint, and a live page.")
public final class LocalCommand implements Callable<Integer> {

    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--ws-port", paramLabel = "PORT", description = "WebSocket API port (0 = a free one). Default: ${DEFAULT-VALUE}.")
    int wsPort = 8080;

    @Option(names = "--management-port", paramLabel = "PORT", description = "@connections API port. Default: ${DEFAULT-VALUE}.")
    int managementPort = 8081;

    @Option(names = "--sfn-port", paramLabel = "PORT", description = "Step Functions endpoint port. Default: ${DEFAULT-VALUE}.")
    int sfnPort = 8083;

    @Option(names = "--page-port", paramLabel = "PORT", description = "Live page port. Default: ${DEFAULT-VALUE}.")
    int pagePort = 8084;

    @Option(names = "--partitions", paramLabel = "N", description = "PARTITION_COUNT of the local deployment. Default: ${DEFAULT-VALUE} (as on AWS).")
    int partitions = 2500;

    @Option(names = "--faults", paramLabel = "FILE", description = "A fault plan (JSON, docs/fault-proxy.md): throttles, 500s, "
            + "timeouts and lost responses injected into every DynamoDB and SQS call of the stack. Default: none.")
    Path faults;

    @Option(names = "--open", description = "No authorizer on $connect: any client connects without a token "
            + "(the deployed stack has one unless deployed with -c authorizer=false). Default: clients need a token "
            + "from ./wsfanout token.")
    boolean open;

    @Option(names = "--cells", paramLabel = "N", description = "Run N cells (docs/cells.md): each a whole deployment on free ports "
            + "with its own gateway, tables, queues and state machine, and the cross-cell state machine on --sfn-port, which "
            + "send and audit then use. No live page. Default: ${DEFAULT-VALUE} (one deployment).")
    int cells = 1;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public LocalCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (cells < 1) {
            throw new CliException(CliException.REFUSED, "--cells must be at least 1, was " + cells);
        }
        return cells == 1 ? serveOneStack() : serveCells();
    }

    private int serveOneStack() {
        PortCheck.requireFree(wsPort, "--ws-port");
        PortCheck.requireFree(managementPort, "--management-port");
        PortCheck.requireFree(sfnPort, "--sfn-port");
        PortCheck.requireFree(pagePort, "--page-port");
        FaultPlan plan = faults == null ? FaultPlan.none() : readPlan(faults);
        PrintWriter err = spec.commandLine().getErr();
        err.println("starting the local stack...");
        err.flush();
        LiveStack live = LiveStack.start(options(plan)
                .webSocketPort(wsPort)
                .managementPort(managementPort)
                .stepFunctionsPort(sfnPort)
                .allowedOrigins(pageOrigins(pagePort))
                .build(), pagePort);
        RunningStack running = live.describe();
        return serve(running, live::close, LocalDeploymentBanner.text(running, live.stack().sqsEndpoint().toString(),
                context.stateFile()));
    }

    /** The cells on free ports; only the home's Step Functions endpoint has a fixed one, which send and audit find in the state file. */
    private int serveCells() {
        PortCheck.requireFree(sfnPort, "--sfn-port");
        FaultPlan plan = faults == null ? FaultPlan.none() : readPlan(faults);
        PrintWriter err = spec.commandLine().getErr();
        err.println("starting " + cells + " local cells...");
        err.flush();
        LocalCells started = LocalCells.start(cells, i -> options(plan).build(), sfnPort);
        List<RunningStack> cellStacks = started.cells().stream().map(cell -> LiveStack.describe(cell, null)).toList();
        RunningStack running = RunningStack.home(ProcessHandle.current().pid(), started.stepFunctionsEndpoint().toString(),
                started.stateMachineArn(), cellStacks);
        return serve(running, started::close, CellsBanner.text(started, running, context.stateFile()));
    }

    private LocalDeploymentOptions.Builder options(FaultPlan plan) {
        return LocalDeploymentOptions.builder()
                .env(FanoutConfig.PARTITION_COUNT, Integer.toString(partitions))
                .awsFaults(plan)
                .connectTokenSecret(open ? null : ConnectUrls.newSecret());
    }

    /** Announces the stack in the state file and serves until Ctrl-C, then removes the file and stops it. */
    private int serve(RunningStack running, Runnable close, String banner) {
        PrintWriter err = spec.commandLine().getErr();
        LocalDeploymentFile file = new LocalDeploymentFile(context.stateFile());
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                file.deleteIfOwnedBy(running);
                close.run();
                err.println("wsfanout local: stopped");
                err.flush();
            }
        };
        Thread hook = new Thread(() -> {
            haltIfStuck(err);
            stop.run();
        }, "wsfanout-local-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        file.write(running);
        PrintWriter out = spec.commandLine().getOut();
        out.print(banner);
        out.flush();
        try {
            // Serves until Ctrl-C (the hook) or an interrupt.
            new CountDownLatch(1).await();
        } catch (InterruptedException interrupted) {
            // Stopped from inside the JVM (tests, an embedding program): the shutdown hook will not run.
            Runtime.getRuntime().removeShutdownHook(hook);
            stop.run();
        }
        return 0;
    }

    /**
     * On Ctrl-C a second Ctrl-C cannot interrupt the shutdown hook, so a close that hangs would
     * leave the person with kill -9. Exiting still ends dynalite (it exits when its stdin closes)
     * and frees every port.
     */
    private static void haltIfStuck(PrintWriter err) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(STOP_DEADLINE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            err.println("wsfanout local: stopping took over " + STOP_DEADLINE.toSeconds() + " s; exiting anyway");
            err.flush();
            Runtime.getRuntime().halt(1);
        }, "wsfanout-local-stop-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Only the live page may open the local WebSocket from a browser: another site's script
     * would otherwise reach it from the user's own machine. Non-browser clients send no Origin.
     * A free port (0) is known only after the gateway starts, so it is not restricted then.
     */
    private static List<String> pageOrigins(int pagePort) {
        return pagePort == 0 ? List.of() : List.of("http://127.0.0.1:" + pagePort, "http://localhost:" + pagePort);
    }

    private static FaultPlan readPlan(Path file) {
        try {
            return FaultPlan.fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new CliException(CliException.REFUSED, "--faults: cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.REFUSED, "--faults " + file + ": " + e.getMessage());
        }
    }
}
