package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.io.MatrixFile;
import org.memshare.registry.MemShare;
import org.memshare.registry.StorageLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memshare load FILE --namespace NS --name VAR [--r-layout]}: puts a file's matrix into shared
 * memory and holds it for other processes until interrupted or until standard input closes. With
 * {@code --r-layout} the matrix is stored in R memshare's layout ({@code NS.VAR} + {@code NS.md.VAR}),
 * so an R session reads it with {@code memshare::retrieveViews("NS", "VAR")}.
 */
@Command(name = "load", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Register a matrix file (.npy, CSV, .csv.gz, .msm) in shared memory, with its column names,"
        + " and hold it until standard input closes or the process is interrupted; then release it."})
final class LoadCommand implements Verb {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE",
        description = "NumPy .npy, CSV with a header row (plain or .csv.gz), or a binary .msm matrix file.")
    private Path file;

    @Mixin
    private InputOptions input;

    @Option(names = "--namespace", required = true, paramLabel = "NS", description = "Namespace of the variable.")
    private String namespace;

    @Option(names = "--name", required = true, paramLabel = "VAR", description = "Name of the variable.")
    private String name;

    @Option(names = "--r-layout", description = "Store it in R memshare's layout, for R sessions to read.")
    private boolean rLayout;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        MatrixFile matrix = MatrixFile.open(file, input.readOptions());
        MemShare memShare = MemShare.system();
        long start = System.nanoTime();
        StorageLayout layout = rLayout ? StorageLayout.R_MEMSHARE : StorageLayout.MEMSHARE;
        matrix.register(memShare, namespace, name, layout);
        try {
            ElementType type = rLayout ? ElementType.DOUBLE : matrix.elementType();
            out.printf("registered %s.%s: matrix %d x %d %s, %d bytes, layout %s, from %s in %.3f s (pid %d)%n",
                namespace, name, matrix.nrow(), matrix.ncol(), type.label(),
                Shape.matrix(type, matrix.nrow(), matrix.ncol()).dataBytes(), layout.label(), matrix.format().label(),
                (System.nanoTime() - start) / 1e9, ProcessHandle.current().pid());
            out.println("holding until standard input closes or the process is interrupted");
            out.flush();
            waitForEndOfInput(System.in);
        } finally {
            memShare.releaseVariables(namespace, name);
        }
        out.println("released " + namespace + "." + name);
        return 0;
    }

    private static void waitForEndOfInput(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Input is ignored: only its end matters.
        }
    }
}
