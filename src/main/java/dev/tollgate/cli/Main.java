package dev.tollgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tollgate}: the command-line entry point. */
@Command(
        name = "tollgate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Forward HTTP/HTTPS proxy with TLS interception, built for cluster egress.",
        subcommands = {RunCommand.class, CaCommand.class, AksConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with the exit codes the contract names: 2 for a usage error. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            if (!(e instanceof StartupException)) {
                e.printStackTrace(commandLine.getErr()); // a bug, not an operator's mistake: keep the trace
            }
            return 1;
        });
        cli.getCommandSpec().exitCodeOnInvalidInput(2);
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
