package dev.wsfanout.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the commands read from the machine rather than from their flags, so tests can give each
 * run its own state file and environment.
 *
 * @param stateFile where a running {@code wsfanout local} announces itself to {@code send} and {@code audit}
 * @param env       the process environment (AWS_REGION, AWS_PROFILE, WSFANOUT_STATE_MACHINE_ARN, WSFANOUT_HOME)
 */
public record CliContext(Path stateFile, Map<String, String> env) {

    public CliContext {
        env = Map.copyOf(env);
    }

    /** The real machine: {@code ~/.wsfanout/local.json} and {@code System.getenv()}. */
    public static CliContext fromSystem() {
        return new CliContext(Path.of(System.getProperty("user.home"), ".wsfanout", "local.json"), System.getenv());
    }
}
