package org.memshare.segment;

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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    private static final String UNIX_ATTRIBUTES = "unix:mode,uid,fileKey";

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
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                return; // nothing to open in it; creating in it fails with the path named
            }
            BasicFileAttributes basic = Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!basic.isDirectory()) {
                throw untrusted(directory, "segment directory is " + type(basic));
            }
            if (unix) {
                Map<String, Object> attributes = Files.readAttributes(directory, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attributes.get("mode");
                int uid = (Integer) attributes.get("uid");
                boolean mine = uid == CurrentUid.UID;
                if (isDefault && (!mine || (mode & 077) != 0)) {
                    throw untrusted(directory, "default segment directory must be this user's and owner-only: uid="
                        + uid + ", euid=" + CurrentUid.UID + ", mode=" + Integer.toOctalString(mode & 07777));
                }
                if (!mine && uid != 0) {
                    throw untrusted(directory, "segment directory belongs to another user: uid=" + uid + ", euid="
                        + CurrentUid.UID);
                }
                if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
                    throw untrusted(directory, "segment directory is writable by other users without the sticky bit: "
                        + "mode=" + Integer.toOctalString(mode & 07777));
                }
            }
            directoryChecked = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check segment directory: directory=" + directory, e);
        }
    }

    /**
     * Reads a segment's attributes without following links and refuses anything memshare must not open.
     *
     * @return the file's identity (its {@code fileKey}), or empty when nothing has that name
     * @throws UntrustedSegmentException for a non-regular file, another user's file or one others may write
     */
    Optional<Object> trustedFileKey(String name, Path path) {
        try {
            if (unix) {
                Map<String, Object> attributes = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attributes.get("mode");
                int uid = (Integer) attributes.get("uid");
                if ((mode & TYPE_MASK) != REGULAR) {
                    checkRegular(path, Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                }
                if (uid != CurrentUid.UID) {
                    throw untrusted(path, "segment belongs to another user: name=" + name + ", uid=" + uid
                        + ", euid=" + CurrentUid.UID);
                }
                if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
                    throw untrusted(path, "segment is writable by other users: name=" + name + ", mode="
                        + Integer.toOctalString(mode & 07777));
                }
                return Optional.of(attributes.get("fileKey"));
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            checkRegular(path, attributes);
            UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(CurrentUser.USER)) {
                throw untrusted(path, "segment belongs to another user: name=" + name + ", owner=" + owner.getName()
                    + ", user=" + CurrentUser.USER.getName());
            }
            return Optional.ofNullable(attributes.fileKey());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment attributes: name=" + name + ", path=" + path, e);
        }
    }

    private static void checkRegular(Path path, BasicFileAttributes attributes) {
        if (!attributes.isRegularFile()) {
            // Refused before any open: opening a FIFO for reading would block until a writer comes.
            throw untrusted(path, "not a segment: path is " + type(attributes));
        }
    }

    /**
     * Compares the file now at {@code path} with the one checked before opening it.
     *
     * @throws UntrustedSegmentException when another file took the name in between
     */
    void sameFile(String name, Path path, Optional<Object> before) throws IOException {
        Object now = attributes(path).fileKey();
        // Windows reports no file key: the owner-only directory is the guard there.
        if (before.isPresent() && !Objects.equals(before.get(), now)) {
            throw untrusted(path, "segment was replaced while it was opened: name=" + name);
        }
    }

    /** @return the attributes of {@code path} itself, never of what a link points to */
    BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static String type(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        return attributes.isOther() ? "a FIFO, socket or device" : "not a regular file";
    }

    private static UntrustedSegmentException untrusted(Path path, String reason) {
        return new UntrustedSegmentException(reason + ", path=" + path);
    }
}
