package org.memshare.segment.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The few C library calls the JDK does not offer, through the Foreign Function &amp; Memory API:
 * {@code open} with {@code O_CREAT|O_EXCL} and an explicit mode, or with {@code O_NOFOLLOW|O_NONBLOCK}
 * so that a symbolic link or a FIFO planted under a segment's name is refused instead of followed or
 * waited on; {@code statx} on the opened descriptor (see {@link Statx}); {@code mmap} of that very
 * descriptor; and {@code posix_fallocate}, which reserves tmpfs pages up front so that a full
 * {@code /dev/shm} fails here instead of raising SIGBUS on the first write to the mapping.
 */
final class LibC {
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 04000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int EACCES = 13;
    static final int EISDIR = 21;
    static final int ELOOP = 40;
    static final int EEXIST = 17;
    static final int ENOSPC = 28;
    static final int EINVAL = 22;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EINTR = 4;
    static final int EIO = 5;
    /** Linux 5.14+: allocate and map writable pages now; fails with an error instead of a later SIGBUS. */
    static final int MADV_POPULATE_WRITE = 23;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final long MAP_FAILED = -1L;
    /** Size of the buffer Java arrays are written through: small enough to stay in the L2 cache. */
    private static final long BOUNCE_BYTES = 256L << 10;

    // One holder class per function: the JVM builds a downcall handle (a native stub and its classes,
    // milliseconds of CPU each) when the holder is first used, so a process pays only for the calls it
    // makes (a worker JVM that only reads never builds pwrite, ftruncate, posix_fallocate, madvise),
    // and class initialization makes each built once, safely for all threads.

    private static final class Open {
        static final MethodHandle HANDLE = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    }

    private static final class Fcntl {
        static final MethodHandle HANDLE = downcall("fcntl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    }

    /** Named apart from {@link Statx}, the layout of the buffer it fills. */
    private static final class StatxCall {
        static final MethodHandle HANDLE = downcall("statx",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    }

    private static final class Geteuid {
        static final MethodHandle HANDLE = downcall("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = downcall("mmap",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    }

    private static final class Munmap {
        static final MethodHandle HANDLE = downcall("munmap",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Close {
        static final MethodHandle HANDLE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Pread {
        static final MethodHandle HANDLE = downcall("pread",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    }

    private static final class Pwrite {
        static final MethodHandle HANDLE = downcall("pwrite",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    }

    private static final class Ftruncate {
        static final MethodHandle HANDLE = downcall("ftruncate",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    }

    private static final class PosixFallocate {
        static final MethodHandle HANDLE = downcall("posix_fallocate",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    }

    private static final class Madvise {
        static final MethodHandle HANDLE = downcall("madvise",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    }

    private static final class Strerror {
        static final MethodHandle HANDLE = downcall("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private LibC() {
    }

    private static MethodHandle downcall(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LIBC.find(function).orElseThrow(), descriptor, options);
    }

    /**
     * Builds the downcall handles that opening and mapping any segment needs (open, fcntl, statx,
     * geteuid, mmap, munmap, close), so that a caller can do it off the path of the first open. The
     * others (writing, sizing, reading without mapping, error messages) are built at their first use.
     */
    static void initializeOpening() {
        // Reading each field initializes its holder class, which builds the handle.
        List<MethodHandle> built = List.of(Open.HANDLE, Fcntl.HANDLE, StatxCall.HANDLE, Geteuid.HANDLE, Mmap.HANDLE,
            Munmap.HANDLE, Close.HANDLE);
    }

    /** Result of a call that sets errno: the return value, and errno when it is -1. */
    record Result(int value, int errno) {
        /** @param state the call state a downcall captured errno into */
        static Result of(int value, MemorySegment state) {
            return new Result(value, value == -1 ? (int) ERRNO.get(state, 0L) : 0);
        }

        boolean failed() {
            return value == -1;
        }
    }

    static Result openExclusive(String path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) Open.HANDLE.invokeExact(state, arena.allocateFrom(path), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
            return Result.of(fd, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Opens an existing file without following a symbolic link (ELOOP) and without waiting (a FIFO
     * with no writer, a device), close-on-exec. The caller checks what it opened with {@link #statx}
     * and then clears {@code O_NONBLOCK} with {@link #clearNonBlocking}.
     */
    static Result openNoFollow(String path, boolean writable) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
            int fd = (int) Open.HANDLE.invokeExact(state, arena.allocateFrom(path), flags, 0);
            return Result.of(fd, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Clears {@code O_NONBLOCK} on an open descriptor (it has no use once the file is known to be regular). */
    static Result clearNonBlocking(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = (int) Fcntl.HANDLE.invokeExact(state, fd, F_GETFL, 0);
            if (flags == -1) {
                return Result.of(flags, state);
            }
            int rc = (int) Fcntl.HANDLE.invokeExact(state, fd, F_SETFL, flags & ~O_NONBLOCK);
            return Result.of(rc, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code statx} of an open descriptor ({@code AT_EMPTY_PATH}), never blocking.
     *
     * @param buffer at least {@link Statx#BYTES} bytes, filled on success
     */
    static Result fstat(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) StatxCall.HANDLE.invokeExact(state, fd, arena.allocateFrom(""), Statx.AT_EMPTY_PATH,
                Statx.STATX_BASIC_STATS, buffer);
            return Result.of(rc, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code statx} of a path without following a final symbolic link ({@code AT_SYMLINK_NOFOLLOW}):
     * an {@code lstat} that never opens the file, so a FIFO cannot block it.
     *
     * @param buffer at least {@link Statx#BYTES} bytes, filled on success
     */
    static Result lstat(String path, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) StatxCall.HANDLE.invokeExact(state, Statx.AT_FDCWD, arena.allocateFrom(path), Statx.AT_SYMLINK_NOFOLLOW,
                Statx.STATX_BASIC_STATS, buffer);
            return Result.of(rc, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the effective user id of this process, the owner every segment it trusts must have */
    static int geteuid() {
        try {
            return (int) Geteuid.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Maps {@code bytes} of an open file, shared.
     *
     * @return the address, or {@link MemorySegment#NULL} with the error number in {@code errno[0]}
     */
    static MemorySegment mmap(int fd, long bytes, boolean writable, int[] errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment address = (MemorySegment) Mmap.HANDLE.invokeExact(state, MemorySegment.NULL, bytes,
                PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0L);
            if (address.address() == MAP_FAILED) {
                errno[0] = (int) ERRNO.get(state, 0L);
                return MemorySegment.NULL;
            }
            return address;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void munmap(long address, long bytes) {
        try {
            int ignored = (int) Munmap.HANDLE.invokeExact(MemorySegment.ofAddress(address), bytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Reads up to {@code target.byteSize()} bytes at {@code offset}, stopping early at the end of file.
     *
     * @return the bytes read, or {@code -errno}
     */
    static long preadFully(int fd, MemorySegment target, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long done = 0;
            while (done < target.byteSize()) {
                long read = (long) Pread.HANDLE.invokeExact(state, fd, target.asSlice(done), target.byteSize() - done, offset + done);
                if (read < 0) {
                    return -(int) ERRNO.get(state, 0L);
                }
                if (read == 0) {
                    break;
                }
                done += read;
            }
            return done;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result ftruncate(int fd, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) Ftruncate.HANDLE.invokeExact(state, fd, length);
            return Result.of(rc, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @param region a page-aligned part of a mapping */
    static Result madvise(MemorySegment region, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) Madvise.HANDLE.invokeExact(state, region, region.byteSize(), advice);
            return Result.of(rc, state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Writes all of {@code bytes} at {@code offset}. Native memory is written as it is. A Java array
     * passes through a {@value #BOUNCE_BYTES}-byte native buffer, which stays in the processor's
     * cache: the kernel then copies from an address aligned like the file offset. Copying straight
     * from an array whose elements are aligned differently from the file offset (a large double[]
     * starts 16 bytes into a 64-byte line; the data goes to offset 128) measured 6 % slower, and the
     * buffer costs no second trip through memory.
     *
     * @return 0 on success, else the error number
     */
    static int pwriteFully(int fd, MemorySegment bytes, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long total = bytes.byteSize();
            MemorySegment buffer = bytes.isNative() || total == 0
                ? null : arena.allocate(Math.min(BOUNCE_BYTES, total), 4096);
            long done = 0;
            while (done < total) {
                long length = buffer == null ? total - done : Math.min(BOUNCE_BYTES, total - done);
                MemorySegment from;
                if (buffer == null) {
                    from = bytes.asSlice(done, length);
                } else {
                    MemorySegment.copy(bytes, done, buffer, 0, length);
                    from = buffer;
                }
                long written = 0;
                while (written < length) {
                    long n = (long) Pwrite.HANDLE.invokeExact(state, fd, from.asSlice(written), length - written,
                        offset + done + written);
                    if (n < 0) {
                        int errno = (int) ERRNO.get(state, 0L);
                        if (errno == EINTR) {
                            continue;
                        }
                        return errno;
                    }
                    if (n == 0) {
                        return EIO; // no progress on a regular file: report instead of spinning
                    }
                    written += n;
                }
                done += length;
            }
            return 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return 0 on success, else the error number (posix_fallocate does not use errno) */
    static int posixFallocate(int fd, long offset, long length) {
        try {
            return (int) PosixFallocate.HANDLE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) Close.HANDLE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return message.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
