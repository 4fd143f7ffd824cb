package org.memshare.io;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;
import org.memshare.registry.StorageLayout;

/**
 * A numeric matrix in a file, read straight into memory segments (shared memory), never whole into
 * the heap. {@link #open(Path)} recognises the format ({@link MatrixFormat}) and reads the shape and
 * column names; the copy methods then stream the data, converting to column-major order.
 *
 * {@snippet :
 * MemShare memShare = MemShare.system();
 * MatrixFile file = MatrixFile.open(Path.of("measurements.csv.gz"), ReadOptions.defaults().withDelimiter(';'));
 * file.register(memShare, "ns", "X");                              // names from the header row
 * try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {
 *     double first = x.get(0, x.columnIndex(file.columnNames().getFirst()));
 * }
 * memShare.releaseVariables("ns", "X");
 * }
 */
public sealed interface MatrixFile permits CsvFile, NpyFile, MsmFile {

    /**
     * Opens a matrix file with the default {@link ReadOptions}.
     *
     * @param path the file
     * @return the file, probed: format, shape and column names known
     * @throws MatrixFileException when the file is missing, empty, of another format than its name
     *     says, or malformed (naming the path and, for text, the line and column)
     */
    static MatrixFile open(Path path) {
        return open(path, ReadOptions.defaults());
    }

    /**
     * Opens a matrix file: the format is recognised from its content and name (see
     * {@link MatrixFormat#detect(Path)}), then its header read (a text file is read once through).
     *
     * @param path the file
     * @param options how text is read (delimiter, longest line)
     * @return the file, probed: format, shape and column names known
     * @throws MatrixFileException when the file is missing, empty, of another format than its name
     *     says, or malformed (naming the path and, for text, the line and column)
     */
    static MatrixFile open(Path path, ReadOptions options) {
        return switch (MatrixFormat.detect(path)) {
            case NPY -> NpyFile.open(path);
            case MSM -> MsmFile.open(path);
            case CSV -> CsvFile.open(path, MatrixFormat.CSV, options);
            case CSV_GZIP -> CsvFile.open(path, MatrixFormat.CSV_GZIP, options);
        };
    }

    /**
     * Where the matrix is read from.
     *
     * @return the file
     */
    Path path();

    /**
     * The format recognised when the file was opened.
     *
     * @return its format
     */
    MatrixFormat format();

    /**
     * The row count, header excluded.
     *
     * @return the number of data rows
     */
    long nrow();

    /**
     * The column count.
     *
     * @return the number of columns
     */
    long ncol();

    /**
     * The element type {@link #copyInto(MemorySegment)} and {@link #register(MemShare, String, String)} write.
     *
     * @return the type the values have in shared memory by default: the file's own, or double for text
     */
    ElementType elementType();

    /**
     * Whether {@link #columnNames()} are the file's own, and so are stored with the matrix.
     *
     * @return whether the file names its columns (a CSV header, names in a {@code .msm}); {@code .npy} does not
     */
    boolean hasColumnNames();

    /**
     * The names of the columns, in column order.
     *
     * @return the column names: the file's, or {@code V1}, {@code V2}, … (as R names them) when it has none
     */
    List<String> columnNames();

    /**
     * Copies the chosen columns, in the order given, column-major into {@code target}, streaming.
     *
     * @param target {@code nrow() * columns.length} elements of {@code type}
     * @param type the element type to write (values are converted)
     * @param columns column indexes, each in {@code [0, ncol())}
     * @throws MatrixFileException for a value that is not a number (naming line and column) or a
     *     file that changed since it was opened
     */
    void copyColumnsInto(MemorySegment target, ElementType type, int[] columns);

    /**
     * The shape to register the whole matrix with.
     *
     * @return the matrix's shape in shared memory: {@code nrow() x ncol()} of {@link #elementType()}
     */
    default Shape shape() {
        return Shape.matrix(elementType(), nrow(), ncol());
    }

    /**
     * Copies the whole matrix, column-major, as {@link #elementType()}.
     *
     * @param target {@code nrow() * ncol()} elements
     * @throws MatrixFileException for a value that is not a number (naming line and column) or a
     *     file that changed since it was opened
     */
    default void copyInto(MemorySegment target) {
        copyColumnsInto(target, elementType(), allColumns());
    }

    /**
     * Every column, for {@link #copyColumnsInto(MemorySegment, ElementType, int[])}.
     *
     * @return a new array of the indexes {@code 0 .. ncol() - 1}
     */
    default int[] allColumns() {
        int[] all = new int[Math.toIntExact(ncol())];
        for (int j = 0; j < all.length; j++) {
            all[j] = j;
        }
        return all;
    }

    /**
     * The index of a named column.
     *
     * @param name a column name
     * @return its index
     * @throws MatrixFileException when there is no such column
     */
    default int columnIndex(String name) {
        int index = columnNames().indexOf(name);
        if (index < 0) {
            List<String> names = columnNames();
            throw new MatrixFileException("no such column: column=" + name + ", path=" + path()
                + ", columns=" + (names.size() <= 20 ? names : names.subList(0, 20) + "..."));
        }
        return index;
    }

    /**
     * Reads one column onto the heap, converting to double.
     *
     * @param column a column index, in {@code [0, ncol())}
     * @return that column as doubles
     * @throws MatrixFileException for a value that is not a number (naming line and column) or a
     *     file that changed since it was opened
     */
    default double[] readColumn(int column) {
        double[] values = new double[Math.toIntExact(nrow())];
        copyColumnsInto(MemorySegment.ofArray(values), ElementType.DOUBLE, new int[] {column});
        return values;
    }

    /**
     * A discrete column as class codes: numbers as they are; text labels (as in {@code yes}/{@code no},
     * in text files) as 0, 1, … in the sorted order of the distinct labels. Missing cells are NaN.
     *
     * @param column a column index
     * @return the codes, and the labels when the column held text
     */
    default ClassColumn readClasses(int column) {
        return new ClassColumn(readColumn(column), List.of());
    }

    /**
     * Copies the chosen columns, in the order given, column-major into {@code target} as class codes
     * of doubles, each column coded as {@link #readClasses} codes it (discrete features that may hold
     * text labels). A text file is read once per column.
     *
     * @param target {@code nrow() * columns.length} doubles
     * @param columns column indexes, each in {@code [0, ncol())}
     * @throws MatrixFileException for a file that changed since it was opened
     */
    default void copyClassCodesInto(MemorySegment target, int[] columns) {
        for (int k = 0; k < columns.length; k++) {
            double[] codes = readClasses(columns[k]).codes();
            MemorySegment.copy(MemorySegment.ofArray(codes), 0, target, k * nrow() * Double.BYTES,
                codes.length * (long) Double.BYTES);
        }
    }

    /**
     * {@link #copyColumnsInto} and {@link #readClasses} in one: a text file is read once for both
     * (a command that loads features and their target reads the file once, not twice).
     *
     * {@snippet :
     * MatrixFile file = MatrixFile.open(Path.of("data.csv"));
     * int y = file.columnIndex("y");
     * int[] features = IntStream.range(0, (int) file.ncol()).filter(j -> j != y).toArray();
     * ClassColumn[] target = new ClassColumn[1];
     * memShare.register("ns", "X", Shape.matrix(ElementType.DOUBLE, file.nrow(), features.length),
     *     data -> target[0] = file.copyColumnsReadingClasses(data, ElementType.DOUBLE, features, y));
     * }
     *
     * @param target {@code nrow() * columns.length} elements of {@code type}
     * @param type the element type to write (values are converted)
     * @param columns column indexes, each in {@code [0, ncol())}
     * @param classColumn the column to read as classes, in {@code [0, ncol())}
     * @return the classes of {@code classColumn}, as {@link #readClasses} gives them
     * @throws MatrixFileException for a value of {@code columns} that is not a number (naming line and
     *     column) or a file that changed since it was opened
     */
    default ClassColumn copyColumnsReadingClasses(MemorySegment target, ElementType type, int[] columns, int classColumn) {
        copyColumnsInto(target, type, columns);
        return readClasses(classColumn);
    }

    /**
     * Registers the matrix in shared memory under {@code namespace.name}, streamed from the file, with
     * its column names when it has them (this library's layout).
     *
     * @param memShare the registry
     * @param namespace the namespace
     * @param name the variable
     * @throws org.memshare.registry.AlreadyRegisteredException when the name is taken
     */
    default void register(MemShare memShare, String namespace, String name) {
        register(memShare, namespace, name, StorageLayout.MEMSHARE);
    }

    /**
     * Registers the matrix in the given layout. R memshare's holds doubles and no names: the values
     * are converted and the names left out.
     *
     * @param memShare the registry
     * @param namespace the namespace
     * @param name the variable
     * @param layout the storage layout
     * @throws org.memshare.registry.AlreadyRegisteredException when the name is taken
     */
    default void register(MemShare memShare, String namespace, String name, StorageLayout layout) {
        if (layout == StorageLayout.R_MEMSHARE) {
            memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, nrow(), ncol()),
                data -> copyColumnsInto(data, ElementType.DOUBLE, allColumns()), layout);
        } else {
            memShare.register(namespace, name, shape(), hasColumnNames() ? columnNames() : List.of(), this::copyInto);
        }
    }

    /**
     * The names R gives the columns of a data frame read without a header.
     *
     * @param count the number of columns
     * @return R's default names {@code V1 .. Vcount}
     */
    static List<String> defaultNames(long count) {
        List<String> names = new ArrayList<>();
        for (long j = 0; j < count; j++) {
            names.add("V" + (j + 1));
        }
        return names;
    }
}
