package org.memshare.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.View;

/**
 * The views of one call in one process, mapped once, and the function applied to one index. Used by
 * the thread cluster in the caller's process and by each worker JVM. Thread-safe for concurrent
 * {@link #compute} calls (views are read-only and their arenas shared).
 */
final class Kernel implements AutoCloseable {
    private final JobSpec spec;
    private final Object function;
    private final View target;
    private final List<View> opened;
    private final Vars vars;

    private Kernel(JobSpec spec, Object function, View target, List<View> opened, Vars vars) {
        this.spec = spec;
        this.function = function;
        this.target = target;
        this.opened = opened;
        this.vars = vars;
    }

    /** Retrieves the target and every variable, all or none. */
    static Kernel open(MemShare registry, JobSpec spec, Object function) {
        List<View> opened = new ArrayList<>();
        try {
            View target = registry.retrieveView(spec.namespace(), spec.variable());
            opened.add(target);
            boolean fits = spec.target() == JobSpec.Target.ELEMENTS ? target instanceof ListView : target instanceof MatrixView;
            if (!fits) {
                throw new IllegalArgumentException("target has the wrong kind: variable=" + target.name()
                    + ", kind=" + target.metadata().kind().label() + ", expected="
                    + (spec.target() == JobSpec.Target.ELEMENTS ? "list" : "matrix"));
            }
            Map<String, View> named = new LinkedHashMap<>();
            for (JobSpec.VarRef ref : spec.vars()) {
                View view = registry.retrieveView(spec.namespace(), ref.variable());
                opened.add(view);
                named.put(ref.name(), view);
            }
            return new Kernel(spec, function, target, opened, new Vars(named));
        } catch (RuntimeException | Error e) {
            opened.forEach(View::close);
            throw e;
        }
    }

    /** Applies the function to item {@code index}; whatever it throws propagates. */
    @SuppressWarnings("unchecked")
    Object compute(long index) throws Exception {
        return switch (spec.target()) {
            case ROWS -> ((MarginFunction<Object>) function).apply(((MatrixView) target).row(index), vars);
            case COLUMNS -> ((MarginFunction<Object>) function).apply(((MatrixView) target).column(index), vars);
            case ELEMENTS -> ((ElementFunction<Object>) function).apply(((ListView) target).element(Math.toIntExact(index)), vars);
        };
    }

    JobSpec spec() {
        return spec;
    }

    /** Releases every view of the call (idempotent: a gc may have released them already). */
    @Override
    public void close() {
        for (View view : opened) {
            view.close();
        }
    }
}
