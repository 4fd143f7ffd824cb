package org.memshare.segment;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A file under a segment's name that this process refuses to map: not a regular file (a symbolic
 * link, FIFO, socket, device or directory), owned by another user, or writable by group or others.
 * The segment directory is writable by every local user, so such a file may have been planted there;
 * mapping it could hang the process, let another user change the data under it, or make it write
 * into a file someone else controls. The message names the path and the reason.
 */
public final class UntrustedSegmentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a file is refused. */
    public enum Reason {
        /** A symbolic link, FIFO, socket, device or directory: {@code ls} calls it {@code not-a-segment}. */
        NOT_A_REGULAR_FILE,
        /** A regular file owned by another user: {@code ls} calls it {@code foreign}. */
        OTHER_OWNER,
        /** A regular file of this user that group or others may write: also {@code foreign}. */
        WRITABLE_BY_OTHERS;

        /**
         * The reason's name as messages and JSON show it.
         *
         * @return the lower-case label used in messages and JSON, for example {@code "other-owner"}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final transient Path path;
    /** Why the file was refused. */
    private final Reason reason;
    /** What the file is. */
    private final FileStatus.Type type;
    /** The reason in words, without the path. */
    private final String detail;

    /**
     * Creates the exception; the message is {@code refusing to map PATH: DETAIL}.
     *
     * @param path the file refused
     * @param reason why
     * @param type what the file is
     * @param detail the reason in words, without the path
     */
    public UntrustedSegmentException(Path path, Reason reason, FileStatus.Type type, String detail) {
        super("refusing to map " + path + ": " + detail);
        this.path = path;
        this.reason = reason;
        this.type = type;
        this.detail = detail;
    }

    /**
     * The path of the refused file (not serialized: null in a deserialized copy).
     *
     * @return the file refused
     */
    public Path path() {
        return path;
    }

    /**
     * Why the file was refused, for callers that treat the reasons differently.
     *
     * @return why it was refused
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The file's type, as its status reported it.
     *
     * @return what the file is (a regular file for {@link Reason#OTHER_OWNER} and {@link Reason#WRITABLE_BY_OTHERS})
     */
    public FileStatus.Type type() {
        return type;
    }

    /**
     * The part of the message after the path.
     *
     * @return the reason in words, without the path, for example {@code "a FIFO, not a regular file"}
     */
    public String detail() {
        return detail;
    }
}
