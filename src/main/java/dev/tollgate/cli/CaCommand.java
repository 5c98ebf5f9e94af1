package dev.tollgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tollgate ca}: create or show the interception CA. */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Create (init) or print (export) the CA that signs intercepted certificates.",
        subcommands = {CaInitCommand.class, CaExportCommand.class})
final class CaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
