package org.memshare.registry;

import java.util.List;
import java.util.Objects;
import org.memshare.format.internal.ArrayPlacement;
import org.memshare.format.Kind;

/**
 * A zero-copy view of a list of vectors and matrices.
 *
 * {@snippet :
 * try (ListView list = (ListView) memShare.retrieveView("ns", "L")) {
 *     MatrixView first = list.matrix(0);
 * }
 * }
 */
public final class ListView extends HandleView implements View {
    private final List<ArrayPlacement> elements;

    ListView(ViewHandle handle, List<ArrayPlacement> elements) {
        super(handle, false);
        this.elements = List.copyOf(elements);
    }

    /**
     * The list's length.
     *
     * @return the number of elements
     */
    public int size() {
        return elements.size();
    }

    /**
     * One element, as a view derived from this one (it lives as long as this view).
     *
     * @param i element index, {@code 0 <= i < size()}
     * @return element {@code i}: a {@link VectorView} or a {@link MatrixView}
     * @throws IndexOutOfBoundsException for a bad index
     */
    public View element(int i) {
        Objects.checkIndex(i, elements.size());
        return Views.of(handle, elements.get(i), true);
    }

    /**
     * One element as a vector; a matrix element reads as all its values, column-major.
     *
     * @param i element index, {@code 0 <= i < size()}
     * @return element {@code i} as a vector, derived from this view
     * @throws IndexOutOfBoundsException for a bad index
     */
    public VectorView vector(int i) {
        return switch (element(i)) {
            case VectorView v -> v;
            case MatrixView m -> m.all();
            default -> throw new IllegalStateException("not a vector: element=" + i + ", variable=" + name());
        };
    }

    /**
     * One element as a matrix.
     *
     * @param i element index, {@code 0 <= i < size()}
     * @return element {@code i} as a matrix, derived from this view
     * @throws IndexOutOfBoundsException for a bad index
     * @throws IllegalStateException when the element is not a matrix (naming its kind)
     */
    public MatrixView matrix(int i) {
        if (element(i) instanceof MatrixView m) {
            return m;
        }
        throw new IllegalStateException("list element is not a matrix: element=" + i
            + ", kind=" + elements.get(i).shape().kind().label() + ", variable=" + name());
    }

    /**
     * What element {@code i} is, without making a view of it.
     *
     * @param i element index, {@code 0 <= i < size()}
     * @return {@link Kind#VECTOR} or {@link Kind#MATRIX}
     * @throws IndexOutOfBoundsException for a bad index
     */
    public Kind kind(int i) {
        Objects.checkIndex(i, elements.size());
        return elements.get(i).shape().kind();
    }


    @Override
    public String toString() {
        return "ListView[variable=" + name() + ", size=" + elements.size() + (isReleased() ? ", released" : "") + "]";
    }
}
