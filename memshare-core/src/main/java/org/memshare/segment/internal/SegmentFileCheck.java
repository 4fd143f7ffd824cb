package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.memshare.segment.FileStatus;
import org.memshare.segment.UntrustedSegmentException;

/**
 * The checks {@link FileSegmentStore} makes before it trusts a path, with {@code java.nio.file} alone.
 *
 * <p>Why there is no race: the JDK cannot {@code fstat} an open channel nor open without blocking, so
 * a name is checked by its attributes (read without following links) before it is opened, and its
 * identity compared after. Between the two, only a process that may rename or remove entries of the
 * directory could swap the file (for a FIFO that would block the open, or another user's file). So the
 * directory itself is checked first: the default one is this user's and owner-only (it is created so);
 * a directory given by the user that others may write must have the sticky bit (like {@code /tmp} and
 * {@code /dev/shm}), where only a file's owner can rename or remove it, and must belong to this user
 * or root. Where the file system has no POSIX attributes (Windows), the default directory under
 * {@code %LOCALAPPDATA%} is the user's own and is created with an owner-only ACL.
 *
 * <p>Owners are compared by number where the {@code unix} attribute view exists (Linux, macOS):
 * {@code unix:uid} of the file against this process's effective uid, read in the same {@code stat} as
 * the type and mode, with no user-name look-up per open; elsewhere (Windows) as {@link UserPrincipal}s
 * through {@link java.nio.file.attribute.FileOwnerAttributeView}.
 */
final class SegmentFileCheck {
    private static final int STICKY = 01000;

    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    /** Read in one {@code stat}, without resolving user names (a password-database look-up per open). */
    private static final String UNIX_STATUS = "unix:mode,uid,size,ino,dev,lastModifiedTime";

    private final Path directory;
    private final boolean unix;
    private volatile boolean directoryChecked;

    SegmentFileCheck(Path directory) {
        this.directory = directory;
        this.unix = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    }

    /**
     * The effective uid of this process, as the owner of a file it creates: the JDK offers no
     * {@code geteuid}, so one empty temporary file is made and removed, once per JVM.
     */
    private static final class CurrentUid {
        static final int UID = probe();

        private static int probe() {
            try {
                Path probe = Files.createTempFile("memshare-uid-", ".probe");
                try {
                    return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot tell which user this process runs as", e);
            }
        }
    }

    /** The user this process runs as, as file owners are compared. */
    private static final class CurrentUser {
        static final UserPrincipal USER = lookUp();

        private static UserPrincipal lookUp() {
            try {
                return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            } catch (IOException | UnsupportedOperationException e) {
                // No account entry for this uid (a container, say): a new file's owner is this process's user.
                try {
                    Path probe = Files.createTempFile("memshare-owner-", ".probe");
                    try {
                        return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
                    } finally {
                        Files.deleteIfExists(probe);
                    }
                } catch (IOException inner) {
                    throw new UncheckedIOException("cannot tell which user this process runs as", inner);
                }
            }
        }
    }

    /** @return the attributes that create a file readable and writable by its owner alone */
    FileAttribute<?>[] ownerOnlyFile() {
        return ownerOnly(PosixFilePermissions.fromString("rw-------"), Set.of());
    }

    private FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions, Set<AclEntryFlag> inherit) {
        if (unix) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("acl")) {
            AclEntry entry = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(CurrentUser.USER)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class)).setFlags(inherit).build();
            return new FileAttribute<?>[] {new FileAttribute<List<AclEntry>>() {
                @Override
                public String name() {
                    return "acl:acl";
                }

                @Override
                public List<AclEntry> value() {
                    return List.of(entry);
                }
            }};
        }
        return new FileAttribute<?>[0];
    }

    /**
     * Makes sure the directory is one other users cannot swap entries in (once per store); the default
     * directory is created owner-only when missing.
     *
     * @param isDefault whether this is the operating system's default directory
     * @throws UntrustedSegmentException when the directory is a link, not a directory, or open to others
     */
    void checkDirectory(boolean isDefault) {
        if (directoryChecked) {
            return;
        }
        try {
            if (isDefault && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory.getParent());
                try {
                    Files.createDirectory(directory, ownerOnly(PosixFilePermissions.fromString("rwx------"),
                        EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT)));
                } catch (FileAlreadyExistsException raced) {
                    // Created meanwhile, by us or by someone else: the checks below decide.
                }
            }
            Optional<FileStatus> found = status(directory);
            if (found.isEmpty()) {
                return; // nothing to open in it; creating in it fails with the path named
            }
            FileStatus status = found.get();
            if (status.type() != FileStatus.Type.DIRECTORY) {
                throw untrusted(directory, UntrustedSegmentException.Reason.NOT_A_REGULAR_FILE, status.type(),
                    "the segment directory is a " + status.type().label() + ", not a directory");
            }
            if (unix) {
                int mode = status.permissions();
                long uid = status.uid();
                boolean mine = uid == CurrentUid.UID;
                if (isDefault && (!mine || (mode & 077) != 0)) {
                    throw untrusted(directory, mine ? UntrustedSegmentException.Reason.WRITABLE_BY_OTHERS
                        : UntrustedSegmentException.Reason.OTHER_OWNER, FileStatus.Type.DIRECTORY,
                        "the default segment directory must be this user's and owner-only (uid=" + uid + ", this process"
                        + " runs as uid=" + CurrentUid.UID + ", mode=" + status.octalPermissions() + ")");
                }
                if (!mine && uid != 0) {
                    throw untrusted(directory, UntrustedSegmentException.Reason.OTHER_OWNER, FileStatus.Type.DIRECTORY,
                        "the segment directory belongs to another user (uid=" + uid + ", this process runs as uid="
                        + CurrentUid.UID + ")");
                }
                if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                    throw untrusted(directory, UntrustedSegmentException.Reason.WRITABLE_BY_OTHERS, FileStatus.Type.DIRECTORY,
                        "the segment directory is writable by group or others without the sticky bit (mode="
                        + status.octalPermissions() + ")");
                }
            }
            directoryChecked = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check segment directory: directory=" + directory, e);
        }
    }

    /**
     * What a path denotes, without following a link or opening it (as {@code lstat}).
     *
     * @return type, permissions, owner, size and identity, or empty when nothing has that name
     */
    Optional<FileStatus> status(Path path) {
        try {
            if (unix) {
                Map<String, Object> a = Files.readAttributes(path, UNIX_STATUS, LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                long dev = (Long) a.get("dev");
                return Optional.of(new FileStatus(FileStatus.Type.ofModeBits(mode & TYPE_MASK), mode & 07777,
                    Integer.toUnsignedLong((Integer) a.get("uid")), (Long) a.get("size"),
                    new FileStatus.Identity(major(dev), minor(dev), (Long) a.get("ino")),
                    ((FileTime) a.get("lastModifiedTime")).toMillis()));
            }
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            FileStatus.Type type = a.isRegularFile() ? FileStatus.Type.REGULAR : a.isDirectory() ? FileStatus.Type.DIRECTORY
                : a.isSymbolicLink() ? FileStatus.Type.SYMBOLIC_LINK : FileStatus.Type.UNKNOWN;
            // No inode here (Windows): the creation time tells a name created again from the file it replaced.
            return Optional.of(new FileStatus(type, 0600, 0, a.size(),
                new FileStatus.Identity(0, 0, a.creationTime().to(TimeUnit.NANOSECONDS)), a.lastModifiedTime().toMillis()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment attributes: path=" + path, e);
        }
    }

    /** glibc's {@code gnu_dev_major}: the device numbers as {@code statx} reports them. */
    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code gnu_dev_minor}. */
    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    /**
     * Reads a segment's status without following links and refuses anything memshare must not open,
     * with the POSIX store's reasons and messages.
     *
     * @return the status of the file checked
     * @throws SegmentNotFoundException when nothing has that name
     * @throws UntrustedSegmentException for a non-regular file, another user's file or one others may write
     */
    FileStatus trusted(String name, Path path) {
        FileStatus status = status(path)
            .orElseThrow(() -> new SegmentNotFoundException("no such segment: name=" + name + ", path=" + path));
        if (unix) {
            TrustedFile.check(path, status, CurrentUid.UID);
            return status;
        }
        if (status.type() != FileStatus.Type.REGULAR) {
            throw untrusted(path, UntrustedSegmentException.Reason.NOT_A_REGULAR_FILE, status.type(),
                "a " + status.type().label() + ", not a regular file");
        }
        try {
            UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(CurrentUser.USER)) {
                throw untrusted(path, UntrustedSegmentException.Reason.OTHER_OWNER, status.type(),
                    "owned by another user (owner=" + owner.getName() + ", this process runs as " + CurrentUser.USER.getName() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the owner of segment: name=" + name + ", path=" + path, e);
        }
        return status;
    }

    /**
     * Compares the file now at {@code path} with the one checked before opening it.
     *
     * @throws UntrustedSegmentException when another file took the name in between
     */
    void sameFile(Path path, FileStatus before) {
        FileStatus now = status(path).orElse(null);
        if (now == null || !now.identity().equals(before.identity())) {
            throw untrusted(path, UntrustedSegmentException.Reason.NOT_A_REGULAR_FILE,
                now == null ? FileStatus.Type.UNKNOWN : now.type(), "replaced by another file while it was opened");
        }
    }

    private static UntrustedSegmentException untrusted(Path path, UntrustedSegmentException.Reason reason,
                                                       FileStatus.Type type, String detail) {
        return new UntrustedSegmentException(path, reason, type, detail);
    }
}
