package org.memshare.apply;

import org.memshare.registry.MemShare;

/** The cluster kinds, for tests that must give the same answer on each. */
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
    },
    /** One worker JVM computing on {@code n} threads. */
    THREADED_PROCESS {
        @Override
        Cluster open(int n, MemShare registry) {
            return Cluster.processes(1, registry, WorkerOptions.builder().threads(n).build());
        }
    };

    abstract Cluster open(int n, MemShare registry);

    /** Whether the function runs in worker JVMs (its failures arrive as {@link RemoteFailure}s). */
    boolean inWorkerJvms() {
        return this != THREADS;
    }
}
