package org.memshare.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.memshare.apply.ElementFunction;
import org.memshare.apply.MarginFunction;
import org.memshare.apply.Vars;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.View;

/**
 * One Spark task: a range of rows, columns or list elements, computed on the host's shared copy. Only
 * names, load recipes and the function travel; the data never does.
 */
final class RangeTask implements Function<long[], RangeTask.RangeResult> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What a task iterates. */
    enum Slicing {
        /** Rows of a matrix. */
        ROWS("row"),
        /** Columns of a matrix. */
        COLUMNS("column"),
        /** Elements of a list. */
        ELEMENTS("element");

        final String item;

        Slicing(String item) {
            this.item = item;
        }
    }

    /**
     * What a task sends back.
     *
     * @param values the function's results, in index order
     * @param host the host that computed them (it holds a copy, to release later)
     */
    record RangeResult(ArrayList<Object> values, String host) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    private final String namespace;
    private final Slicing target;
    private final SharedRef x;
    private final LinkedHashMap<String, SharedRef> vars;
    private final Object function;

    RangeTask(String namespace, Slicing target, SharedRef x, Map<String, SharedRef> vars, Object function) {
        this.namespace = namespace;
        this.target = target;
        this.x = x;
        this.vars = new LinkedHashMap<>(vars);
        this.function = function;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RangeResult call(long[] range) throws Exception {
        HostCopies copies = HostCopies.get();
        View view = x.attach(copies, namespace);
        Map<String, View> named = new LinkedHashMap<>();
        for (Map.Entry<String, SharedRef> entry : vars.entrySet()) {
            named.put(entry.getKey(), entry.getValue().attach(copies, namespace));
        }
        Vars callVars = Vars.of(named);
        ArrayList<Object> values = new ArrayList<>(Math.toIntExact(range[1] - range[0]));
        for (long index = range[0]; index < range[1]; index++) {
            try {
                values.add(switch (target) {
                    case ROWS -> ((MarginFunction<Object>) function).apply(((MatrixView) view).row(index), callVars);
                    case COLUMNS -> ((MarginFunction<Object>) function).apply(((MatrixView) view).column(index), callVars);
                    case ELEMENTS -> ((ElementFunction<Object>) function)
                        .apply(((ListView) view).element(Math.toIntExact(index)), callVars);
                });
            } catch (Exception e) {
                throw new SparkApplyException("function failed: " + target.item + "=" + index + ", variable="
                    + namespace + "." + x.variable() + ", host=" + HostCopies.host() + ", error=" + e, e);
            }
        }
        return new RangeResult(values, HostCopies.host());
    }
}
