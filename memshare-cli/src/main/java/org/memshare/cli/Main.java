package org.memshare.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.memshare.segment.InvalidNameException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code memshare} command: {@code memshare VERB [OPTIONS]}. Exit codes: 0 success, 1 failure
 * (one line on standard error naming what is wrong), 2 bad arguments (with the verb's usage line).
 * The verbs are the classes of this package named {@code …Command}, then those of other modules found
 * through {@link Verb}.
 */
@Command(name = "memshare", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Zero-copy shared memory between processes, parallel apply on worker JVMs and"
        + " mutual-information feature ranking.",
    synopsisSubcommandLabel = "VERB",
    commandListHeading = "%nVerbs:%n",
    footer = {"", "Exit codes: 0 success, 1 failure, 2 bad arguments. 'memshare VERB --help' describes a verb."})
public final class Main implements Callable<Integer> {
    /** The environment variable that turns on stack traces, like {@code --debug}. */
    public static final String DEBUG_VARIABLE = "MEMSHARE_DEBUG";

    @Spec
    private CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
        description = "Print the stack trace of a failure (or set MEMSHARE_DEBUG=1).")
    private boolean debug;

    private final ProgressBar.Mode progressMode;

    private Main(ProgressBar.Mode progressMode) {
        this.progressMode = progressMode;
    }

    /**
     * Runs a verb and exits with its code.
     *
     * @param args the verb and its arguments
     */
    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err, ProgressBar.Mode.forStandardError());
        } catch (IllegalArgumentException e) {
            System.err.println("memshare: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /**
     * Runs a verb with standard error taken as no terminal (progress as plain lines).
     *
     * @param args the verb and its arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code: 0 success, 1 failure, 2 bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, ProgressBar.Mode.LINES);
    }

    static int run(String[] args, PrintStream out, PrintStream err, ProgressBar.Mode progress) {
        // In the streams' own encodings (the terminal's for System.out and System.err).
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, out.charset()), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, err.charset()), true);
        try {
            return commandLine(progress, outWriter, errWriter, args.length > 0 ? args[0] : null).execute(args);
        } catch (Error failure) {
            // picocli maps exceptions; an error (out of memory, a class missing from a replaced jar) ends here.
            errWriter.println("memshare: " + FailureMessage.of(failure));
            if (List.of(args).contains("--debug") || debugVariableSet()) {
                failure.printStackTrace(errWriter);
            }
            return CommandLine.ExitCode.SOFTWARE;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /**
     * The command line with every verb, its streams and its exit-code policy.
     *
     * @param progress how verbs show progress
     * @param out standard output
     * @param err standard error
     * @return the configured picocli command line
     */
    static CommandLine commandLine(ProgressBar.Mode progress, PrintWriter out, PrintWriter err) {
        return commandLine(progress, out, err, null);
    }

    /**
     * The command line for running {@code name}: when it names a verb, that verb alone (picocli
     * builds each verb's model from its annotations, a good part of a short command's start-up);
     * otherwise (a help, completion or usage error is to list them) every verb.
     */
    private static CommandLine commandLine(ProgressBar.Mode progress, PrintWriter out, PrintWriter err, String name) {
        CommandLine commandLine = new CommandLine(new Main(progress));
        List<Verb> verbs = new ArrayList<>(List.of(new DemoCommand(), new SelectCommand(), new ListCommand(),
            new GcCommand(), new LoadCommand(), new ShowCommand()));
        // Verbs of the modules above this one (the benchmarks) when they are on the class path.
        ServiceLoader.load(Verb.class, Main.class.getClassLoader()).forEach(verbs::add);
        List<Verb> named = verbs.stream().filter(v -> v.getClass().getAnnotation(Command.class).name().equals(name)).toList();
        for (Verb v : named.isEmpty() ? verbs : named) {
            commandLine.addSubcommand(v);
        }
        commandLine.addSubcommand(new CompletionCommand());
        commandLine.addSubcommand(new HelpCommand());
        // Settings apply to the verbs added so far, so they come last.
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((failure, verb, parsed) -> {
            // An invalid namespace or variable name is the caller's mistake, like a bad option.
            if (failure instanceof UsageException || failure instanceof InvalidNameException) {
                return usageError(new ParameterException(verb, failure.getMessage(), failure), new String[0]);
            }
            verb.getErr().println(verb.getCommandSpec().qualifiedName() + ": " + FailureMessage.of(failure));
            if (debugRequested(parsed)) {
                failure.printStackTrace(verb.getErr());
            }
            verb.getErr().flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }

    /** Bad arguments: the message, suggestions for a mistyped name, the verb's usage line; exit code 2. */
    private static int usageError(ParameterException problem, String[] args) {
        CommandLine verb = problem.getCommandLine();
        PrintWriter err = verb.getErr();
        String name = verb.getCommandSpec().qualifiedName();
        String message = FailureMessage.of(problem);
        if (verb.getParent() == null && problem instanceof UnmatchedArgumentException unmatched
            && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            message = "unknown verb: '" + unmatched.getUnmatched().getFirst() + "'";
        }
        err.println(name + ": " + message);
        UnmatchedArgumentException.printSuggestions(problem, err);
        String heading = verb.getCommandSpec().usageMessage().synopsisHeading();
        err.print(heading + verb.getHelp().synopsis(heading.length()));
        err.println("'" + name + " --help' describes the options.");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return debugVariableSet();
    }

    private static boolean debugVariableSet() {
        String variable = System.getenv(DEBUG_VARIABLE);
        return variable != null && !variable.isBlank() && !variable.equals("0");
    }

    /**
     * How verbs show progress in this run.
     *
     * @return the mode for standard error
     */
    ProgressBar.Mode progressMode() {
        return progressMode;
    }

    /**
     * {@code memshare} without a verb.
     *
     * @return never
     * @throws ParameterException always: a verb is needed
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "give a verb");
    }
}
