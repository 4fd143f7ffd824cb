package org.memshare.segment;

import java.util.Locale;

/**
 * What the kernel says about a file in the segment directory: its type, permission bits, owner, size
 * and identity. Read with {@code statx} on an opened descriptor, so it describes exactly the file
 * that will be mapped, not whatever the name points to a moment later.
 *
 * @param type the file type
 * @param permissions the permission bits ({@code 07777})
 * @param uid the owner's user id
 * @param size the size in bytes
 * @param identity device and inode
 * @param modifiedMillis the last modification time, in milliseconds since the epoch: how long a
 *     file has stayed as it is (a registrant writes a new segment's header the moment it exists)
 */
public record FileStatus(Type type, int permissions, long uid, long size, Identity identity, long modifiedMillis) {

    /** Permission bits that let a user other than the owner change the file. */
    private static final int WRITABLE_BY_OTHERS = 0022;

    /** The kinds of directory entry, as {@code S_IFMT} distinguishes them. */
    public enum Type {
        /** A regular file: the only kind that can be a segment. */
        REGULAR(0100000),
        /** A directory. */
        DIRECTORY(0040000),
        /** A symbolic link. */
        SYMBOLIC_LINK(0120000),
        /** A FIFO (named pipe): opening it for reading would wait for a writer. */
        FIFO(0010000),
        /** A UNIX domain socket. */
        SOCKET(0140000),
        /** A character device. */
        CHARACTER_DEVICE(0020000),
        /** A block device. */
        BLOCK_DEVICE(0060000),
        /** Anything else. */
        UNKNOWN(-1);

        private final int modeBits;

        Type(int modeBits) {
            this.modeBits = modeBits;
        }

        /**
         * The type a file's mode denotes.
         *
         * @param bits the file-type bits of a mode ({@code S_IFMT} masked)
         * @return the type they denote ({@link #UNKNOWN} for none of these)
         */
        public static Type ofModeBits(int bits) {
            for (Type type : values()) {
                if (type.modeBits == bits) {
                    return type;
                }
            }
            return UNKNOWN;
        }

        /**
         * The type's name as messages and JSON show it.
         *
         * @return the label used in messages and JSON, for example {@code "symbolic link"}
         */
        public String label() {
            return this == FIFO ? "FIFO (named pipe)" : name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * A file's identity: a name unlinked and created again has another one.
     *
     * @param deviceMajor major number of the file system's device
     * @param deviceMinor minor number of the file system's device
     * @param inode the inode number
     */
    public record Identity(long deviceMajor, long deviceMinor, long inode) {
    }

    /**
     * Whether anyone but the owner may write the file, which makes it untrusted.
     *
     * @return whether group or others may write the file
     */
    public boolean writableByOthers() {
        return (permissions & WRITABLE_BY_OTHERS) != 0;
    }

    /**
     * The permission bits as {@code ls -l} users know them.
     *
     * @return the permission bits in octal, for messages ({@code "0644"})
     */
    public String octalPermissions() {
        return String.format(Locale.ROOT, "%04o", permissions);
    }
}
