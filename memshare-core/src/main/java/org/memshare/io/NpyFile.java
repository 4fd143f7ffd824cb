package org.memshare.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import org.memshare.format.ElementType;

/**
 * The {@code .npy} codec: NumPy's array file ({@link NpyHeader}), C or Fortran order. A C-order
 * (row-major) file is transposed into column-major on the way in, tile by tile through a bounded
 * buffer. Columns are named {@code V1 .. Vn}: the format has no names.
 */
final class NpyFile implements MatrixFile {
    private final Path path;
    private final NpyHeader header;
    private final List<String> names;

    private NpyFile(Path path, NpyHeader header) {
        this.path = path;
        this.header = header;
        this.names = MatrixFile.defaultNames(header.cols());
    }

    static NpyFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new NpyFile(path, NpyHeader.read(channel, path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public MatrixFormat format() {
        return MatrixFormat.NPY;
    }

    @Override
    public long nrow() {
        return header.rows();
    }

    @Override
    public long ncol() {
        return header.cols();
    }

    @Override
    public ElementType elementType() {
        return header.type().natural();
    }

    @Override
    public boolean hasColumnNames() {
        return false;
    }

    @Override
    public List<String> columnNames() {
        return names;
    }

    /** @return whether the data is stored column-major (NumPy's {@code fortran_order}) */
    boolean fortranOrder() {
        return header.fortranOrder();
    }

    @Override
    public void copyColumnsInto(MemorySegment target, ElementType type, int[] columns) {
        for (int column : columns) {
            Objects.checkIndex(column, ncol());
        }
        BinaryColumns data = new BinaryColumns(path, header.dataOffset(), nrow(), ncol(), header.type());
        try {
            if (header.fortranOrder() || ncol() == 1) {
                data.copyColumnMajor(target, type, columns);
            } else {
                data.copyRowMajor(target, type, columns);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }
}
