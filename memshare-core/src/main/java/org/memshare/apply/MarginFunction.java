package org.memshare.apply;

import java.io.Serializable;
import org.memshare.registry.VectorView;

/**
 * The function {@link Apply#memApply(Object)} runs on each row or column. It is serialized once per
 * call and shipped to the workers, so a lambda must capture only serializable values; its result must
 * be {@link Serializable} to travel back from a worker JVM.
 *
 * {@snippet :
 * MarginFunction<Double> mean = (column, vars) -> column.sum() / column.length();
 * }
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface MarginFunction<R> extends Serializable {
    /**
     * Computes the result for one row or column, in a worker thread or worker JVM.
     *
     * @param slice the row (strided) or column (contiguous), zero-copy, valid during this call only
     * @param vars the call's named variables, mapped once per worker and call
     * @return the result for this slice
     * @throws Exception anything; it surfaces in the caller as an {@link ApplyException} naming the index
     */
    R apply(VectorView slice, Vars vars) throws Exception;
}
