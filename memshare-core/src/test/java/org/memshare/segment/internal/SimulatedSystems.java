package org.memshare.segment.internal;

import java.nio.file.Path;

/** Stores with another operating system's name rules, for tests on any system. */
public final class SimulatedSystems {
    private SimulatedSystems() {
    }

    /**
     * A file store over {@code directory} with macOS's rules: names that differ only by case are one
     * segment, whatever the volume.
     *
     * @param directory an owner-only directory
     * @return the store
     */
    public static SegmentStore macOsFileStore(Path directory) {
        return new FileSegmentStore(directory, false, OperatingSystem.of("Mac OS X"));
    }
}
