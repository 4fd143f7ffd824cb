package org.memshare.registry;

import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;
import org.memshare.segment.internal.MappedSegment;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.UntrustedSegmentException;
import org.memshare.segment.internal.SegmentExistsException;
import org.memshare.segment.internal.SegmentFile;
import org.memshare.segment.internal.SegmentNotFoundException;
import org.memshare.segment.internal.SegmentStore;

/**
 * This library's own layout ({@link SegmentLayout}): one file {@code memshare.<ns>.<var>} with a
 * self-describing header that records its owner, written pending first and published last.
 */
final class MemshareCodec implements LayoutCodec {
    static final MemshareCodec INSTANCE = new MemshareCodec();

    /** Longest list directory read when listing (a million elements); longer ones are listed as invalid. */
    private static final long MAX_DIRECTORY_BYTES = 64L << 20;

    private MemshareCodec() {
    }

    @Override
    public StorageLayout layout() {
        return StorageLayout.MEMSHARE;
    }

    @Override
    public boolean recordsOwner() {
        return true;
    }

    @Override
    public String dataName(QualifiedName name) {
        return name.segmentName();
    }

    /**
     * Data already in memory goes in with positional writes ({@link SegmentStore#createByWriting}):
     * no page is zeroed and mapped only to be overwritten. Data written in place goes through a
     * mapping. Either way the header is written pending the moment the file exists and published
     * after the data, as the publication rule of {@link SegmentLayout} asks.
     */
    @Override
    public Page create(SegmentStore store, QualifiedName name, Contents contents) {
        SegmentHeader header = SegmentLayout.plan(contents.kind(), contents.shapes(), contents.columnNames(),
            ProcessIdentity.current(), System.currentTimeMillis());
        String segmentName = name.segmentName();
        try {
            Object fileKey = contents instanceof Contents.Written written
                ? createByWriting(store, segmentName, header, written)
                : createMapped(store, segmentName, header, contents);
            return new Page(layout(), List.of(new Page.StoredFile(segmentName, fileKey)));
        } catch (SegmentExistsException e) {
            throw new AlreadyRegisteredException("variable already registered: variable=" + name
                + describeOwner(store, segmentName) + ", path=" + store.directory().resolve(segmentName));
        }
    }

    private static Object createByWriting(SegmentStore store, String segmentName, SegmentHeader header,
                                          Contents.Written contents) {
        MemorySegment readyMagic = MemorySegment.ofArray(new long[1]);
        SegmentLayout.publish(readyMagic);
        SegmentFile file = store.createByWriting(segmentName, header.totalBytes(), pendingHeader(header), output -> {
            contents.write(output, header.arrays());
            if (!header.columnNames().isEmpty()) {
                output.write(SegmentLayout.namesOffset(header), SegmentLayout.namesBlock(header));
            }
            output.write(SegmentLayout.MAGIC_OFFSET, readyMagic);
        });
        return file.fileKey();
    }

    /**
     * The creating mapping is not kept: views map on their own, so that threads of this process and
     * worker processes read the data on equal terms.
     */
    private static Object createMapped(SegmentStore store, String segmentName, SegmentHeader header, Contents contents) {
        MappedSegment created = store.create(segmentName, header.totalBytes(), pendingHeader(header));
        try (created) {
            contents.fill(created.segment(), header.arrays());
            SegmentLayout.writeNames(created.segment(), header);
            SegmentLayout.publish(created.segment());
            return created.fileKey();
        } catch (RuntimeException | Error e) {
            store.unlink(segmentName);
            throw e;
        }
    }

    /**
     * Header and list directory with the pending magic, to be written the moment the file exists: a
     * registration killed at any later point leaves an orphan whose owner {@code gc} can judge.
     */
    private static MemorySegment pendingHeader(SegmentHeader header) {
        MemorySegment bytes = MemorySegment.ofArray(new long[Math.toIntExact(SegmentLayout.dataOffset(header) / 8)]);
        SegmentLayout.writePending(bytes, header);
        return bytes;
    }

    private static String describeOwner(SegmentStore store, String segmentName) {
        try {
            Optional<MemorySegment> head = store.readPrefix(segmentName, SegmentLayout.HEADER_BYTES);
            if (head.isPresent() && head.get().byteSize() < SegmentLayout.HEADER_BYTES) {
                return ", existing file has no header (" + head.get().byteSize() + " bytes: its registrant died before"
                    + " writing one, or is writing it; 'memshare gc' reclaims it once unchanged for "
                    + SegmentCensus.INCOMPLETE_GRACE.toSeconds() + " s)";
            }
            ProcessIdentity owner = head.map(SegmentLayout::ownerOrNull).orElse(null);
            if (owner == null) {
                return ", owner=unknown";
            }
            return ", ownerPid=" + owner.pid() + (owner.isAlive() ? "" : " (dead: run 'memshare gc' to reclaim)");
        } catch (UntrustedSegmentException e) {
            return ", existing file refused: " + e.detail();
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    public Opened open(SegmentStore store, QualifiedName name, Access access) {
        MappedSegment mapped;
        try {
            mapped = store.open(name.segmentName(), access);
        } catch (SegmentNotFoundException e) {
            throw notRegistered(store, name, name.segmentName());
        }
        try {
            return new Opened(mapped, SegmentLayout.read(mapped.segment(), name.toString()));
        } catch (RuntimeException | Error e) {
            mapped.close();
            throw e;
        }
    }

    @Override
    public void revalidate(MemorySegment data, QualifiedName name) {
        SegmentLayout.read(data, name.toString());
    }

    @Override
    public boolean exists(SegmentStore store, QualifiedName name) {
        return store.exists(name.segmentName());
    }

    @Override
    public UnknownVariableException notRegistered(SegmentStore store, QualifiedName name, String missing) {
        return new UnknownVariableException("variable not registered: variable=" + name
            + ", directory=" + store.directory());
    }

    @Override
    public Optional<SegmentCensus.Entry> inspect(SegmentStore store, QualifiedName name) {
        return inspect(store, name.segmentName());
    }

    @Override
    public List<String> fileNames(QualifiedName name) {
        return List.of(name.segmentName());
    }

    @Override
    public List<SegmentCensus.Entry> census(SegmentStore store, List<String> names) {
        List<SegmentCensus.Entry> entries = new ArrayList<>();
        for (String segmentName : names) {
            inspect(store, segmentName).ifPresent(entries::add);
        }
        return entries;
    }

    /**
     * The census entry of one file, if it is ours: named like our segments and starting with one of
     * our magics. Read with {@code pread}, never mapped: a sparse or truncated file on a full
     * {@code /dev/shm} would fault on access.
     */
    Optional<SegmentCensus.Entry> inspect(SegmentStore store, String segmentName) {
        Optional<QualifiedName> name = QualifiedName.ofSegmentName(segmentName);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            // Opening first runs the trust check, so a link, FIFO or another user's file is refused here.
            Optional<MemorySegment> head = store.readPrefix(segmentName, SegmentLayout.HEADER_BYTES);
            Optional<FileStatus> file = store.status(segmentName);
            if (file.isEmpty() || head.isEmpty() || file.get().type() != FileStatus.Type.REGULAR) {
                return Optional.empty();
            }
            if (head.get().byteSize() < SegmentLayout.HEADER_BYTES) {
                // Passed the trust check (this user's regular file): a registrant killed before its header.
                return Optional.of(SegmentCensus.incomplete(name.get(), segmentName, file.get()));
            }
            ProcessIdentity owner = SegmentLayout.ownerOrNull(head.get());
            if (owner == null) {
                return Optional.empty();
            }
            long bytes = file.get().size();
            boolean alive = owner.isAlive();
            if (SegmentLayout.isPending(head.get())) {
                return Optional.of(entry(name.get(), segmentName, SegmentCensus.State.PENDING, null, bytes, owner, alive));
            }
            try {
                long dataOffset = SegmentLayout.declaredDataOffset(head.get());
                MemorySegment headerAndDirectory = dataOffset > SegmentLayout.HEADER_BYTES && dataOffset <= MAX_DIRECTORY_BYTES
                    ? store.readPrefix(segmentName, (int) dataOffset).orElse(head.get())
                    : head.get();
                SegmentHeader header = SegmentLayout.read(headerAndDirectory, bytes, segmentName);
                return Optional.of(entry(name.get(), segmentName, SegmentCensus.State.READY,
                    Metadata.of(name.get(), header, layout()), bytes, owner, alive));
            } catch (SegmentFormatException e) {
                return Optional.of(entry(name.get(), segmentName, SegmentCensus.State.INVALID, null, bytes, owner, alive));
            }
        } catch (UntrustedSegmentException e) {
            return Optional.of(SegmentCensus.refused(name.get(), segmentName, layout(), e));
        } catch (IllegalStateException | UncheckedIOException e) {
            return Optional.empty(); // removed meanwhile, or unreadable: not ours to judge
        }
    }

    private SegmentCensus.Entry entry(QualifiedName name, String segmentName, SegmentCensus.State state, Metadata metadata,
                                      long bytes, ProcessIdentity owner, boolean alive) {
        return metadata == null
            ? new SegmentCensus.Entry(name, segmentName, layout(), state, null, null, List.of(), bytes, owner, alive)
            : new SegmentCensus.Entry(name, segmentName, layout(), state, metadata.kind(), metadata.elementType(),
                metadata.shape(), bytes, owner, alive);
    }
}
