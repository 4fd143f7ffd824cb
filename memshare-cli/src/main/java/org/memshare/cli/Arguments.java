package org.memshare.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --flag}, {@code --option value} (or {@code --option=value})
 * and positionals. Each verb declares which options take a value; unknown options are errors.
 */
public final class Arguments {
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positionals = new ArrayList<>();

    private Arguments() {
    }

    /**
     * @param args the raw arguments
     * @param valued options that take a value (without {@code --})
     * @param booleans options that are flags
     * @throws UsageException for an unknown option or a missing value
     */
    public static Arguments parse(List<String> args, Set<String> valued, Set<String> booleans) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (booleans.contains(name) && value == null) {
                    parsed.flags.add(name);
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    parsed.options.put(name, value);
                } else {
                    throw new UsageException("unknown option: --" + name);
                }
            } else {
                parsed.positionals.add(arg);
            }
        }
        return parsed;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public String required(String name) {
        return option(name).orElseThrow(() -> new UsageException("missing option: --" + name));
    }

    public int intOption(String name, int defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " needs a whole number: value=" + value);
        }
    }

    public List<String> positionals() {
        return positionals;
    }
}
