package dev.wsfanout.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One execution of the CLI with captured stdout and stderr, as a person at a terminal would see them. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = WsfanoutCli.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
