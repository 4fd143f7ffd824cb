package org.memshare.apply;

import java.io.Serializable;
import org.memshare.registry.View;

/**
 * The function {@link Apply#memLapply(Object)} runs on each list element: a
 * {@link org.memshare.registry.VectorView} or a {@link org.memshare.registry.MatrixView}, zero-copy.
 * Serialized once per call, like {@link MarginFunction}; results must be {@link Serializable}.
 *
 * {@snippet :
 * ElementFunction<Double> total = (element, vars) -> ((MatrixView) element).all().sum();
 * }
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface ElementFunction<R> extends Serializable {
    /**
     * Computes the result for one list element, in a worker thread or worker JVM.
     *
     * @param element the list element, valid during this call only
     * @param vars the call's named variables
     * @return the result for this element
     * @throws Exception anything; it surfaces in the caller as an {@link ApplyException} naming the index
     */
    R apply(View element, Vars vars) throws Exception;
}
