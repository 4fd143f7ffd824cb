/**
 * Parallel apply over shared memory (R memshare's {@code memApply}, {@code memLapply} and
 * {@code memshare_gc}): {@linkplain org.memshare.apply.Cluster clusters} of threads or worker JVMs that
 * receive only variable names and a serialized function, and map the data themselves, zero-copy.
 * Depends on {@code org.memshare.registry}, {@code org.memshare.format} and {@code org.memshare.segment} only.
 */
package org.memshare.apply;
