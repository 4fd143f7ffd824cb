package org.memshare.spark;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * When an executor of the application is lost (killed, crashed, removed), sweeps the orphans of this
 * module on every host that held copies, at once and while the application runs, instead of leaving
 * them to the next executor's exit. One per application, installed by the first {@link SparkShare}.
 */
final class OrphanSweeper extends SparkListener {
    private static final Map<SparkContext, OrphanSweeper> SWEEPERS = Collections.synchronizedMap(new WeakHashMap<>());

    private final SparkContext sc;
    private final Set<String> hosts = Collections.synchronizedSet(new LinkedHashSet<>());

    private OrphanSweeper(SparkContext sc) {
        this.sc = sc;
    }

    /** @return the application's sweeper, installed on first use */
    static OrphanSweeper of(SparkContext sc) {
        synchronized (SWEEPERS) {
            return SWEEPERS.computeIfAbsent(sc, context -> {
                OrphanSweeper sweeper = new OrphanSweeper(context);
                context.addSparkListener(sweeper);
                return sweeper;
            });
        }
    }

    /** Records hosts that hold copies. */
    void addHosts(Iterable<String> more) {
        more.forEach(hosts::add);
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        Set<String> targets;
        synchronized (hosts) {
            targets = Set.copyOf(hosts);
        }
        if (targets.isEmpty() || sc.isStopped()) {
            return;
        }
        // Not on the listener thread: a job from here would block the events it waits for.
        Thread.ofPlatform().daemon().name("memshare-spark-orphan-sweep").start(() -> {
            try {
                OnEachHost.run(sc, targets, copies -> copies.sweepOrphans(HostCopies::ofThisModule));
            } catch (RuntimeException e) {
                // the application is stopping, or the cluster lost more executors: exits sweep later
            }
        });
    }
}
