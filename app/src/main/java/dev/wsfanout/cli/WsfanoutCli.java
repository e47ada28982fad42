package dev.wsfanout.cli;

import dev.wsfanout.plan.PlanCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wsfanout}: the command line. Progress goes to stderr, results to stdout; a failure a
 * person can act on is one line on stderr and a non-zero exit code (the stack trace only with
 * {@code --debug}).
 */
@Command(name = "wsfanout", mixinStandardHelpOptions = true, version = "wsfanout 0.1.0",
        description = "Broadcast one message to every connected API Gateway WebSocket client, on AWS or on this machine.",
        subcommands = {DemoCommand.class, LocalCommand.class, SendCommand.class, AuditCommand.class, CensusCommand.class,
                TokenCommand.class,
                PlanCommand.class,
                CommandLine.HelpCommand.class})
public final class WsfanoutCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
    boolean debug;

    /** No command given: the usage, and the exit code of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        CliContext context = CliContext.fromSystem();
        if (!List.of(args).contains("--debug")) {
            CliLogging.toFileIn(context.stateFile().getParent());
        }
        System.exit(commandLine(context).execute(args));
    }

    /** The command line with its subcommands built for {@code context}; call {@code execute(args)} on it. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(WsfanoutCli.class, new ContextFactory(context));
        cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
            CliException problem = FailureMessages.describe(failure);
            commandLine.getErr().println("wsfanout: " + problem.getMessage());
            if (debugRequested(parseResult)) {
                failure.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return problem.exitCode();
        });
        return cli;
    }

    private static boolean debugRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Builds commands that take a {@link CliContext} with it, and everything else as picocli would. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == CliContext.class) {
                    return type.cast(constructor.newInstance(context));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
