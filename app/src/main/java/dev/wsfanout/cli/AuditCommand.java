package dev.wsfanout.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wsfanout.model.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wsfanout audit}: who started a broadcast, what it reached and how long it took. */
@Command(name = "audit", sortOptions = false, description = "Print the audit of one broadcast: who started it and when, "
        + "message size, partitions, connections, delivered/gone/failed/retried, duration, time to first and last "
        + "delivery, the failure if any and the Distributed Map run's counts.")
public final class AuditCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXECUTION", description = "The broadcast id (execution name) or the execution ARN.")
    String execution;

    @Option(names = "--json", description = "Print the audit as one JSON object.")
    boolean json;

    @Mixin
    TargetOptions targetOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public AuditCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        Optional<CrossCellTarget> cells = targetOptions.crossCell(context);
        if (cells.isPresent()) {
            try (CrossCellTarget target = cells.get()) {
                JsonNode audit = target.audit(target.home().executionArn(execution)).orElseThrow(() -> new CliException(CliException.FAILED,
                        "the cross-cell broadcast " + execution + " is still running; its audit comes when every cell has ended"));
                PrintWriter out = spec.commandLine().getOut();
                out.print(json ? JsonCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(audit) + "\n"
                        : CrossCellAuditText.format(audit));
                out.flush();
                return 0;
            }
        }
        try (BroadcastTarget target = targetOptions.open(context)) {
            BroadcastAudit audit = new AuditReader(target).read(execution);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? JsonCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(audit) + "\n"
                    : AuditText.format(audit));
            out.flush();
            return 0;
        }
    }
}
