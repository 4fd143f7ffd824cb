package org.memshare.spark;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.memshare.io.ReadOptions;
import org.memshare.registry.Variable;

/**
 * Where the hosts of a Spark application get a variable from. Each host loads it once into shared
 * memory, the first time a task there needs it; every other executor on the host then maps that copy.
 *
 * {@snippet :
 * SparkSource onSharedDisk = SparkSource.file("/data/features.msm");        // every host can read it
 * SparkSource shipped = SparkSource.shipped(sc, "/home/me/features.csv");  // copied to each host by Spark
 * SparkSource fromDriver = SparkSource.data(new double[] {1, 0, 1});        // broadcast, loaded once per host
 * }
 */
public sealed interface SparkSource extends Serializable permits SparkSource.MatrixFileSource, SparkSource.DriverData {

    /**
     * A matrix file (CSV with a header row, or memshare's binary {@code .msm}) that every host reads.
     *
     * @param path the path on the hosts (a shared file system), or the file name Spark shipped
     * @param shipped whether {@code path} names a file shipped with {@link SparkContext#addFile(String)}
     *     (resolved on each host with {@code SparkFiles.get})
     * @param columns the column indexes to load, in order; {@code null} for all
     * @param classCodes whether to load the columns as class codes (text labels become 0, 1, … in the
     *     sorted order of the labels), for discrete features
     * @param readOptions how the hosts read a text file (the CSV delimiter)
     */
    record MatrixFileSource(String path, boolean shipped, int[] columns, boolean classCodes, ReadOptions readOptions)
        implements SparkSource {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * Copies the columns, so the record stays immutable.
         *
         * @throws NullPointerException when {@code path} or {@code readOptions} is null
         */
        public MatrixFileSource {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(readOptions, "readOptions");
            columns = columns == null ? null : columns.clone();
        }

        /**
         * A file read with the default options (comma-separated).
         *
         * @param path the path on the hosts, or the file name Spark shipped
         * @param shipped whether {@code path} names a shipped file
         * @param columns the column indexes to load, in order; {@code null} for all
         * @param classCodes whether to load the columns as class codes
         */
        public MatrixFileSource(String path, boolean shipped, int[] columns, boolean classCodes) {
            this(path, shipped, columns, classCodes, ReadOptions.defaults());
        }

        /**
         * Where the file is on this machine (the driver, or a host).
         *
         * @return {@code path}, or for a shipped file Spark's copy of it here
         */
        public Path localPath() {
            return Path.of(shipped ? SparkFiles.get(path) : path);
        }

        /**
         * The columns to load.
         *
         * @return a copy of the indexes, or {@code null} for all
         */
        @Override
        public int[] columns() {
            return columns == null ? null : columns.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MatrixFileSource that && path.equals(that.path) && shipped == that.shipped
                && Arrays.equals(columns, that.columns) && classCodes == that.classCodes
                && readOptions.equals(that.readOptions);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, shipped, Arrays.hashCode(columns), classCodes, readOptions);
        }

        @Override
        public String toString() {
            return "file(" + path + (shipped ? ", shipped" : "") + (columns == null ? "" : ", columns=" + columns.length)
                + (classCodes ? ", classCodes" : "")
                + (readOptions.equals(ReadOptions.defaults()) ? "" : ", " + readOptions) + ")";
        }
    }

    /**
     * Data on the driver: sent to each host once (a Spark broadcast that only the loading executor of
     * a host reads) and copied there into shared memory.
     *
     * @param variable the data, packed for the trip
     */
    record DriverData(PackedVariable variable) implements SparkSource {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * Checks the variable is given.
         *
         * @throws NullPointerException when {@code variable} is null
         */
        public DriverData {
            Objects.requireNonNull(variable, "variable");
        }
    }

    /**
     * A whole matrix file on a shared file system.
     *
     * @param path a CSV or {@code .msm} file at the same path on every host (a shared file system)
     * @return the whole matrix of that file
     */
    static SparkSource file(String path) {
        return new MatrixFileSource(path, false, null, false);
    }

    /**
     * Chosen columns of a matrix file on a shared file system.
     *
     * @param path a CSV or {@code .msm} file at the same path on every host
     * @param columns the column indexes to load, in the order wanted
     * @return those columns of that file, as a matrix
     */
    static SparkSource file(String path, int[] columns) {
        return new MatrixFileSource(path, false, Objects.requireNonNull(columns, "columns"), false);
    }

    /**
     * A whole text matrix file on a shared file system, read with other options than the defaults.
     *
     * {@snippet :
     * SparkSource semicolons = SparkSource.file("/data/x.csv", ReadOptions.defaults().withDelimiter(';'));
     * }
     *
     * @param path a CSV file (or {@code .msm}, where the options do not matter) at the same path on every host
     * @param options how to read it (the delimiter)
     * @return the whole matrix of that file
     */
    static SparkSource file(String path, ReadOptions options) {
        return new MatrixFileSource(path, false, null, false, options);
    }

    /**
     * Ships a local file to every host with {@link SparkContext#addFile(String)}.
     *
     * @param sc the application
     * @param localPath a CSV or {@code .msm} file the driver can read
     * @return the whole matrix of that file, read on each host from Spark's copy
     */
    static SparkSource shipped(SparkContext sc, String localPath) {
        sc.addFile(localPath);
        return new MatrixFileSource(Path.of(localPath).getFileName().toString(), true, null, false);
    }

    /**
     * Data on the driver.
     *
     * @param data a {@link Variable} or plain data ({@code double[]}, {@code double[][]} rows, a
     *     {@code List} of these for a list), as {@link Variable#of(Object)} takes it
     * @return the data, packed to be broadcast to the hosts
     * @throws IllegalArgumentException for data memshare cannot hold
     */
    static SparkSource data(Object data) {
        return new DriverData(PackedVariable.of(Variable.of(data)));
    }
}
