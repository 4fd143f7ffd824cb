package org.memshare.apply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The named variables given to one call, before they are resolved: the binding rules every apply
 * builder shares. A name must be neither null nor blank nor given twice, a value must not be null,
 * and the names keep the order they were given in.
 *
 * <p>What a value means (a registered variable's name, data, or another engine's source) is up to
 * the builder that resolves it. Not thread-safe.
 */
public final class CallVariables {
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private final Map<String, Object> view = Collections.unmodifiableMap(variables);

    /** Makes an empty set of variables. */
    public CallVariables() {
    }

    /**
     * Adds a variable.
     *
     * @param name the name the function uses
     * @param value the variable's value, as the builder resolving it understands it
     * @throws NullPointerException when {@code name} or {@code value} is null
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public void put(String name, Object value) {
        Objects.requireNonNull(name, "variable name must not be null");
        Objects.requireNonNull(value, () -> "variable value must not be null: name=" + name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("variable name must not be empty: name=\"" + name + "\"");
        }
        if (variables.containsKey(name)) {
            throw new IllegalArgumentException("variable named twice: name=" + name);
        }
        variables.put(name, value);
    }

    /**
     * Adds variables under their own names: the same as {@code put(name, name)} for each, in order.
     *
     * @param names the names, each both the name the function uses and its value
     * @throws NullPointerException when {@code names} or one of them is null
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public void putNames(String... names) {
        for (String name : names) {
            put(name, name);
        }
    }

    /**
     * Adds each entry as by {@link #put(String, Object)}, in the map's iteration order.
     *
     * @param entries name the function uses → value
     * @throws NullPointerException when {@code entries}, a name or a value is null
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public void putAll(Map<String, ?> entries) {
        entries.forEach(this::put);
    }

    /**
     * The variables added so far.
     *
     * @return a read-only live view, name → value, in the order the names were added
     */
    public Map<String, Object> asMap() {
        return view;
    }
}
