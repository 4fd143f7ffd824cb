package org.memshare.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code memshare completion}: prints a bash (and zsh) completion script for every verb and option;
 * {@code source <(./memshare completion)} turns it on for the current shell.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Print a bash/zsh completion script for memshare.",
        "Turn it on with: source <(memshare completion)"})
final class CompletionCommand implements Verb {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("memshare", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
