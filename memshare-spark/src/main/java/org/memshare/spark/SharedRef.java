package org.memshare.spark;

import java.io.Serial;
import java.io.Serializable;
import org.memshare.format.Kind;
import org.memshare.registry.View;

/**
 * A variable of a {@link SparkShare} as tasks see it: its name on the hosts, how a host loads it, and
 * its shape as the driver saw it.
 *
 * @param variable the variable name in the share's namespace
 * @param load how a host loads it
 * @param kind matrix, vector or list
 * @param nrow rows of a matrix, length of a vector, elements of a list
 * @param ncol columns of a matrix, else 1
 * @param inRLayout whether each host also publishes it in R memshare's layout
 */
record SharedRef(String variable, HostLoad load, Kind kind, long nrow, long ncol, boolean inRLayout) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @return the host's copy, as this executor maps it (loaded first if the host has none) */
    View attach(HostCopies copies, String namespace) {
        return copies.attach(namespace, variable, load, inRLayout);
    }
}
