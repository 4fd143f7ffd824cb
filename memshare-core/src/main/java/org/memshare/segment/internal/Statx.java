package org.memshare.segment.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.memshare.segment.FileStatus;

/**
 * The layout of Linux's {@code struct statx}, the one place that knows it. Unlike {@code struct stat},
 * whose field order and widths differ between x86_64 and aarch64 (and whose glibc entry point was
 * {@code __fxstat} before 2.33), {@code struct statx} is fixed by the kernel's UAPI with explicit
 * widths: the same 256 bytes on every architecture, native byte order.
 *
 * <pre>
 *  offset  size  field
 *   0       4    stx_mask         which fields the kernel filled (we ask for STATX_BASIC_STATS)
 *   4       4    stx_blksize
 *   8       8    stx_attributes
 *  16       4    stx_nlink
 *  20       4    stx_uid          owner                  -> {@link #UID_OFFSET}
 *  24       4    stx_gid
 *  28       2    stx_mode         type (S_IFMT) and permission bits -> {@link #MODE_OFFSET}
 *  30       2    (spare)
 *  32       8    stx_ino          inode                  -> {@link #INODE_OFFSET}
 *  40       8    stx_size         bytes                  -> {@link #SIZE_OFFSET}
 *  48       8    stx_blocks
 *  56       8    stx_attributes_mask
 *  64      48    stx_atime, stx_btime, stx_ctime (16 bytes each)
 * 112       8    stx_mtime.tv_sec  last modification   -> {@link #MTIME_SECONDS_OFFSET}
 * 120       4    stx_mtime.tv_nsec                      -> {@link #MTIME_NANOS_OFFSET}
 * 124       4    (reserved)
 * 128       4    stx_rdev_major
 * 132       4    stx_rdev_minor
 * 136       4    stx_dev_major    device of the file system -> {@link #DEV_MAJOR_OFFSET}
 * 140       4    stx_dev_minor                           -> {@link #DEV_MINOR_OFFSET}
 * 144     112    (spare, for fields of newer kernels)
 * </pre>
 */
final class Statx {
    /** Size of the buffer {@code statx} fills. */
    static final long BYTES = 256;
    static final long UID_OFFSET = 20;
    static final long MODE_OFFSET = 28;
    static final long INODE_OFFSET = 32;
    static final long SIZE_OFFSET = 40;
    static final long MTIME_SECONDS_OFFSET = 112;
    static final long MTIME_NANOS_OFFSET = 120;
    static final long DEV_MAJOR_OFFSET = 136;
    static final long DEV_MINOR_OFFSET = 140;

    /** {@code dirfd} meaning "relative to the working directory". */
    static final int AT_FDCWD = -100;
    /** Flag: stat the descriptor itself (empty path). */
    static final int AT_EMPTY_PATH = 0x1000;
    /** Flag: do not follow a final symbolic link. */
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** Mask: type, mode, nlink, uid, gid, times, inode, size, blocks. */
    static final int STATX_BASIC_STATS = 0x7ff;

    private static final int S_IFMT = 0170000;

    private Statx() {
    }

    /** Decodes a filled buffer. */
    static FileStatus decode(MemorySegment buffer) {
        int mode = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT, MODE_OFFSET));
        return new FileStatus(FileStatus.Type.ofModeBits(mode & S_IFMT), mode & 07777,
            Integer.toUnsignedLong(buffer.get(ValueLayout.JAVA_INT, UID_OFFSET)),
            buffer.get(ValueLayout.JAVA_LONG, SIZE_OFFSET),
            new FileStatus.Identity(Integer.toUnsignedLong(buffer.get(ValueLayout.JAVA_INT, DEV_MAJOR_OFFSET)),
                Integer.toUnsignedLong(buffer.get(ValueLayout.JAVA_INT, DEV_MINOR_OFFSET)),
                buffer.get(ValueLayout.JAVA_LONG, INODE_OFFSET)),
            buffer.get(ValueLayout.JAVA_LONG, MTIME_SECONDS_OFFSET) * 1000
                + Integer.toUnsignedLong(buffer.get(ValueLayout.JAVA_INT, MTIME_NANOS_OFFSET)) / 1_000_000);
    }
}
