package org.memshare.apply;

/**
 * Told how far a call has come, in the calling thread, each time a chunk completes (and once at the
 * start with {@code done = 0}). Keep it cheap: it runs between chunk dispatches.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * Reports that {@code done} of {@code total} slices or elements are finished.
     *
     * @param done slices or elements finished
     * @param total slices or elements in the call
     */
    void progress(long done, long total);
}
