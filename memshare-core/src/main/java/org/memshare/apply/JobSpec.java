package org.memshare.apply;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What a worker needs to run a call, apart from the function: names only, never data.
 *
 * @param namespace the namespace of every variable
 * @param target how the target is iterated
 * @param variable the registered name of the target matrix or list
 * @param vars the call's variables: the name the function sees, and the registered name
 */
record JobSpec(String namespace, Target target, String variable, List<VarRef> vars) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How the target is cut into work items. */
    enum Target {
        /** Rows of a matrix. */
        ROWS,
        /** Columns of a matrix. */
        COLUMNS,
        /** Elements of a list. */
        ELEMENTS;

        static Target of(Margin margin) {
            return margin == Margin.ROWS ? ROWS : COLUMNS;
        }

        String itemLabel() {
            return switch (this) {
                case ROWS -> "row";
                case COLUMNS -> "column";
                case ELEMENTS -> "element";
            };
        }
    }

    /**
     * One variable of a call.
     *
     * @param name the name the function asks {@link Vars} for
     * @param variable the registered variable name (differs for data registered for the call)
     */
    record VarRef(String name, String variable) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    JobSpec {
        vars = List.copyOf(vars);
    }
}
