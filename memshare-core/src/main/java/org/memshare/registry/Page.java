package org.memshare.registry;

import java.util.List;
import java.util.Optional;
import org.memshare.segment.internal.SegmentStore;

/**
 * A variable this process registered: the files its layout created, each with the identity it had
 * then, in the order they are to be unlinked. Unlinking removes exactly those files, never one
 * registered under the same name since.
 *
 * @param layout the layout it was registered in
 * @param files the files, in unlink order
 */
record Page(StorageLayout layout, List<StoredFile> files) {

    /**
     * One file of a page.
     *
     * @param name the segment name
     * @param fileKey its identity when it was created
     */
    record StoredFile(String name, Object fileKey) {
    }

    Page {
        files = List.copyOf(files);
    }

    /** @return whether {@code fileKey} is the identity of this page's file {@code name} */
    boolean holds(String name, Object fileKey) {
        return files.contains(new StoredFile(name, fileKey));
    }

    /** Unlinks each file that is still the one this page created. */
    void unlink(SegmentStore store) {
        for (StoredFile file : files) {
            Optional<Object> current = store.fileKey(file.name());
            if (current.isPresent() && current.get().equals(file.fileKey())) {
                store.unlink(file.name());
            }
        }
    }
}
