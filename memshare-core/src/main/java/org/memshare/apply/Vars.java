package org.memshare.apply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;

/**
 * The named variables of one apply call, as zero-copy views. Each worker retrieves them once per
 * call, not once per slice (and keeps their mappings for the next calls while current); the views are
 * released when the call ends, so do not keep them.
 *
 * {@snippet :
 * MarginFunction<Double> dot = (column, vars) -> {
 *     VectorView y = vars.vector("y");
 *     double s = 0;
 *     for (long i = 0; i < column.length(); i++) {
 *         s += column.get(i) * y.get(i);
 *     }
 *     return s;
 * };
 * }
 */
public final class Vars {
    private final Map<String, View> views;

    Vars(Map<String, ? extends View> views) {
        this.views = Collections.unmodifiableMap(new LinkedHashMap<String, View>(views));
    }

    /**
     * The variables of a call that runs outside this library's clusters (on another engine's
     * executors, for example), from views that engine retrieved.
     *
     * {@snippet :
     * Vars vars = Vars.of(Map.of("y", memShare.retrieveVector("ns", "y")));
     * }
     *
     * @param views name the function asks for → its view, in the order the names should be listed
     * @return the variables; the views stay the caller's to release
     */
    public static Vars of(Map<String, ? extends View> views) {
        return new Vars(Objects.requireNonNull(views, "views"));
    }

    /**
     * The names the function can ask for.
     *
     * @return the names given to the call, in order
     */
    public Set<String> names() {
        return views.keySet();
    }

    /**
     * The named variable, whatever its kind.
     *
     * @param name a variable name as given to the call
     * @return its view
     * @throws NoSuchElementException naming the unknown name and the known ones
     */
    public View get(String name) {
        View view = views.get(name);
        if (view == null) {
            throw new NoSuchElementException("no such variable in this call: name=" + name + ", names=" + views.keySet());
        }
        return view;
    }

    /**
     * The named variable as a vector; a matrix reads as all its values, column-major.
     *
     * @param name a variable name as given to the call
     * @return the vector, zero-copy
     * @throws NoSuchElementException when the call has no variable of that name
     * @throws IllegalStateException when the variable is a list
     */
    public VectorView vector(String name) {
        return switch (get(name)) {
            case VectorView v -> v;
            case MatrixView m -> m.all();
            case ListView l -> throw new IllegalStateException("variable is a list, not a vector: name=" + name);
        };
    }

    /**
     * The named variable as a matrix.
     *
     * @param name a variable name as given to the call
     * @return the matrix, zero-copy
     * @throws NoSuchElementException when the call has no variable of that name
     * @throws IllegalStateException when the variable is not a matrix (naming its kind)
     */
    public MatrixView matrix(String name) {
        if (get(name) instanceof MatrixView m) {
            return m;
        }
        throw new IllegalStateException("variable is not a matrix: name=" + name + ", kind=" + get(name).metadata().kind().label());
    }

    /**
     * The named variable as a list.
     *
     * @param name a variable name as given to the call
     * @return the list, zero-copy
     * @throws NoSuchElementException when the call has no variable of that name
     * @throws IllegalStateException when the variable is not a list (naming its kind)
     */
    public ListView list(String name) {
        if (get(name) instanceof ListView l) {
            return l;
        }
        throw new IllegalStateException("variable is not a list: name=" + name + ", kind=" + get(name).metadata().kind().label());
    }

    @Override
    public String toString() {
        return "Vars" + views.keySet();
    }
}
