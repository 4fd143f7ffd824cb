package org.memshare.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Entry point of the {@code memshare} command: {@code memshare VERB [ARGS]}. */
public final class Main {
    private Main() {
    }

    /** The verbs, in the order the usage text lists them. */
    private static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        for (Command command : List.<Command>of(
            new DemoCommand(),
            new SelectCommand(),
            new ListCommand(),
            new GcCommand(),
            new LoadCommand(),
            new ShowCommand())) {
            commands.put(command.verb(), command);
        }
        // Verbs of the modules above this one (the benchmarks) when they are on the class path.
        for (Command command : ServiceLoader.load(Command.class, Main.class.getClassLoader())) {
            commands.putIfAbsent(command.verb(), command);
        }
        return commands;
    }

    /**
     * Runs a verb and exits with its code.
     *
     * @param args the verb and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a verb; returns its exit code (2 for usage errors, 1 for failures). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help") || args[0].equals("-h")) {
            usage(commands, args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("memshare: unknown verb '" + args[0] + "'");
            usage(commands, err);
            return 2;
        }
        try {
            Arguments arguments = Arguments.parse(Arrays.asList(args).subList(1, args.length),
                command.valuedOptions(), command.flagOptions());
            return command.run(arguments, out, err);
        } catch (UsageException e) {
            err.println("memshare " + command.verb() + ": " + e.getMessage());
            err.println("usage: memshare " + command.verb() + " " + command.summary());
            return 2;
        } catch (Exception e) {
            err.println("memshare " + command.verb() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (System.getenv("MEMSHARE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static void usage(Map<String, Command> commands, PrintStream stream) {
        stream.println("usage: memshare VERB [ARGS]");
        for (Command command : commands.values()) {
            stream.printf("  %-6s %s%n", command.verb(), command.summary());
        }
    }
}
