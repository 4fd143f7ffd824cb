package org.memshare.registry;

/** Which byte layout a variable is stored in. */
public enum StorageLayout {
    /** This library's own format: one segment with a self-describing header ({@code docs/FORMAT.md}). */
    MEMSHARE,
    /** R memshare's layout: a data segment {@code <ns>.<var>} and a metadata segment {@code <ns>.md.<var>}. */
    R_MEMSHARE;

    /**
     * The layout's name as listings and JSON show it.
     *
     * @return {@code memshare} or {@code r-memshare}
     */
    public String label() {
        return this == MEMSHARE ? "memshare" : "r-memshare";
    }
}
