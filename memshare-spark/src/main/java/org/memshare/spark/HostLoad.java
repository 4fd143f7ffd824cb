package org.memshare.spark;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.broadcast.Broadcast;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.io.MatrixFile;
import org.memshare.registry.MemShare;

/**
 * How one host loads a variable into shared memory: what the driver ships with every task, small
 * (a path, or a broadcast handle that only the loading executor reads).
 */
sealed interface HostLoad extends Serializable {

    /**
     * Registers the variable in {@code registry}, which makes the calling executor its owner.
     *
     * @throws IllegalArgumentException naming the source and host when it cannot be read
     */
    void load(MemShare registry, String namespace, String name);

    /**
     * A matrix file read on the host.
     *
     * @param source the file and columns
     * @param nrow the rows the driver saw
     * @param ncol the columns to load
     */
    record FromFile(SparkSource.MatrixFileSource source, long nrow, long ncol) implements HostLoad {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void load(MemShare registry, String namespace, String name) {
            Path path = source.localPath();
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("source cannot be read on this host: path=" + path + ", host="
                    + HostCopies.host() + (Files.exists(path) ? " (no read permission)" : " (no such file)"));
            }
            MatrixFile file = MatrixFile.open(path, source.readOptions());
            int[] columns = source.columns() == null ? file.allColumns() : source.columns();
            if (file.nrow() != nrow || columns.length != ncol) {
                throw new IllegalStateException("source differs on this host from the driver's: path=" + path + ", host="
                    + HostCopies.host() + ", rows=" + file.nrow() + ", expectedRows=" + nrow + ", columns="
                    + columns.length + ", expectedColumns=" + ncol);
            }
            registry.register(namespace, name, Shape.matrix(ElementType.DOUBLE, nrow, ncol), data -> {
                if (source.classCodes()) {
                    file.copyClassCodesInto(data, columns);
                } else {
                    file.copyColumnsInto(data, ElementType.DOUBLE, columns);
                }
            });
        }
    }

    /**
     * Data from the driver, broadcast.
     *
     * @param data the broadcast; read only by the executor that loads the host's copy
     */
    record FromDriver(Broadcast<PackedVariable> data) implements HostLoad {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public void load(MemShare registry, String namespace, String name) {
            registry.register(namespace, name, data.value().unpack());
        }
    }
}
