package dev.wsfanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wsfanout send}: starts one broadcast (a StartExecution) and, with --wait, follows it to its audit. */
@Command(name = "send", sortOptions = false, description = "Broadcast a message to every connected client: starts "
        + "one execution of the broadcast state machine, on the local stack (default) or on AWS (--aws).")
public final class SendCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    MessageOptions message;

    @Option(names = "--name", paramLabel = "ID", description = "The broadcast id (execution name). Default: b-<UTC time>-<random>.")
    String name;

    @Option(names = "--wait", description = "Follow the broadcast until it ends (progress on stderr), then print its audit.")
    boolean await;

    @Mixin
    TargetOptions targetOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public SendCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        JsonNode value = message.message();
        PrintWriter out = spec.commandLine().getOut();
        Optional<CrossCellTarget> cells = targetOptions.crossCell(context);
        if (cells.isPresent()) {
            try (CrossCellTarget target = cells.get()) {
                return sendToCells(target, value, out);
            }
        }
        try (BroadcastTarget target = targetOptions.open(context)) {
            StartedBroadcast started = new BroadcastStarter(target).start(name, value);
            out.println(started.existing()
                    ? "broadcast " + started.name() + " already exists with this message: nothing was sent again"
                    : "started broadcast " + started.name());
            out.println("execution " + started.executionArn());
            out.flush();
            if (!await) {
                spec.commandLine().getErr().println("follow it with: ./wsfanout audit " + started.name()
                        + (targetOptions.aws ? " --aws" : ""));
                return 0;
            }
            ProgressLine progress = ProgressLine.forTerminal(spec.commandLine().getErr());
            BroadcastAudit audit = new BroadcastFollower(new AuditReader(target), followInterval(target))
                    .follow(started.executionArn(), a -> progress.show(AuditText.progress(a)));
            progress.done();
            out.print(AuditText.format(audit));
            out.flush();
            return "SUCCEEDED".equals(audit.status()) ? 0 : CliException.FAILED;
        }
    }

    /** One StartExecution of the cross-cell machine; with --wait, each cell's counts while it runs, then the cross-cell audit. */
    private int sendToCells(CrossCellTarget target, JsonNode value, PrintWriter out) {
        StartedBroadcast started = new BroadcastStarter(target.home()).start(name, value);
        out.println((started.existing() ? "cross-cell broadcast " + started.name() + " already exists with this message: nothing was sent again"
                : "started cross-cell broadcast " + started.name()));
        out.println("execution " + started.executionArn());
        out.flush();
        if (!await) {
            spec.commandLine().getErr().println("follow it with: ./wsfanout audit " + started.name() + (targetOptions.aws ? " --aws --cells" : ""));
            return 0;
        }
        ProgressLine progress = ProgressLine.forTerminal(spec.commandLine().getErr());
        Optional<JsonNode> audit;
        while ((audit = target.audit(started.executionArn())).isEmpty()) {
            String cells = target.progress(started.name());
            progress.show("running" + (cells.isEmpty() ? "" : ": " + cells));
            try {
                Thread.sleep(followInterval(target.home()).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CliException.FAILED;
            }
        }
        progress.done();
        out.print(CrossCellAuditText.format(audit.get()));
        out.flush();
        return audit.get().path("failedCells").isEmpty() ? 0 : CliException.FAILED;
    }

    /** Each reading is four API calls; on AWS they count against the account's Step Functions API quotas. */
    private static Duration followInterval(BroadcastTarget target) {
        return target.isLocal() ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    }
}
