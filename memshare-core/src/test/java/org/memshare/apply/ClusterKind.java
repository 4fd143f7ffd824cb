package org.memshare.apply;

import org.memshare.registry.MemShare;

/** The two cluster kinds, for tests that must give the same answer on both. */
enum ClusterKind {
    THREADS {
        @Override
        Cluster open(int n, MemShare registry) {
            return Cluster.threads(n, registry);
        }
    },
    PROCESSES {
        @Override
        Cluster open(int n, MemShare registry) {
            return Cluster.processes(n, registry);
        }
    };

    abstract Cluster open(int n, MemShare registry);
}
