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
    private boolean completed;

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
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        int index = taskEnd.taskInfo().index();
        if (completed || !stages.contains(taskEnd.stageId()) || taskEnd.reason() != Success$.MODULE$
            || finished.get(index) || index >= itemsPerTask.length) {
            return;
        }
        finished.set(index);
        done += itemsPerTask[index];
        // Reported under the lock so that counts reach the listener in increasing order.
        listener.progress(done, total);
    }

    /**
     * Reports the whole call done once its job has returned: Spark's listener bus delivers task ends
     * asynchronously, so the last ones may arrive after the job's result, or never once this listener
     * is removed.
     */
    synchronized void complete() {
        if (!completed && done < total) {
            done = total;
            listener.progress(done, total);
        }
        completed = true;
    }
}
