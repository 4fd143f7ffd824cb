package org.memshare.segment.internal;

/**
 * What the file system says about a segment now.
 *
 * @param fileKey the file's identity, a {@link FileStatus.Identity} (device and inode): a name
 *     unlinked and created again has another
 * @param size the file's size in bytes
 */
public record SegmentFile(Object fileKey, long size) {
}
