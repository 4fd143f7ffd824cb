package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;
import org.memshare.registry.StorageLayout;

/**
 * {@code memshare load FILE --namespace NS --name VAR [--r-layout]}: puts a file's matrix into shared
 * memory and holds it for other processes until interrupted or until standard input closes. With
 * {@code --r-layout} the matrix is stored in R memshare's layout ({@code NS.VAR} + {@code NS.md.VAR}),
 * so an R session reads it with {@code memshare::retrieveViews("NS", "VAR")}.
 */
final class LoadCommand implements Command {
    @Override
    public String verb() {
        return "load";
    }

    @Override
    public String summary() {
        return "FILE --namespace NS --name VAR [--r-layout]   register a CSV/binary matrix (in R memshare's layout"
            + " with --r-layout) and hold it until stdin closes or Ctrl-C";
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("r-layout");
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("namespace", "name");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws IOException {
        if (args.positionals().size() != 1) {
            throw new UsageException("give exactly one file");
        }
        String namespace = args.required("namespace");
        String name = args.required("name");
        MatrixFile file = MatrixFile.probe(Path.of(args.positionals().getFirst()));
        MemShare memShare = MemShare.system();
        long start = System.nanoTime();
        StorageLayout layout = args.flag("r-layout") ? StorageLayout.R_MEMSHARE : StorageLayout.MEMSHARE;
        memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, file.nrow(), file.ncol()), file::copyInto,
            layout);
        try {
            out.printf("registered %s.%s: matrix %d x %d double, %d bytes, layout %s, in %.3f s (pid %d)%n", namespace,
                name, file.nrow(), file.ncol(), file.dataBytes(), layout.label(), (System.nanoTime() - start) / 1e9,
                ProcessHandle.current().pid());
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
