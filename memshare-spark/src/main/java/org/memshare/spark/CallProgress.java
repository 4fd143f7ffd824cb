package org.memshare.spark;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.memshare.apply.ProgressListener;

/**
 * Turns the finished tasks of one call's Spark job into item counts for a {@link ProgressListener}
 * (on Spark's listener thread). A retried task counts once.
 */
final class CallProgress extends SparkListener {
    /** The local property that marks the jobs of one call. */
    static final String CALL_PROPERTY = "memshare.call";

    private final String callId;
    private final long[] itemsPerTask;
    private final long total;
    private final ProgressListener listener;
    private final Set<Integer> stages = new HashSet<>();
    private final BitSet finished = new BitSet();
    private long done;

    CallProgress(String callId, long[] itemsPerTask, long total, ProgressListener listener) {
        this.callId = callId;
        this.itemsPerTask = itemsPerTask.clone();
        this.total = total;
        this.listener = listener;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        if (jobStart.properties() != null && callId.equals(jobStart.properties().getProperty(CALL_PROPERTY))) {
            jobStart.stageIds().foreach(id -> stages.add((Integer) id));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        long now;
        synchronized (this) {
            int index = taskEnd.taskInfo().index();
            if (!stages.contains(taskEnd.stageId()) || taskEnd.reason() != Success$.MODULE$ || finished.get(index)
                || index >= itemsPerTask.length) {
                return;
            }
            finished.set(index);
            done += itemsPerTask[index];
            now = done;
        }
        listener.progress(now, total);
    }
}
