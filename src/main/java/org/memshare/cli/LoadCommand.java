package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;

/**
 * {@code memshare load FILE --namespace NS --name VAR}: puts a file's matrix into shared memory and
 * holds it for other processes until interrupted or until standard input closes.
 */
final class LoadCommand implements Command {
    @Override
    public String verb() {
        return "load";
    }

    @Override
    public String summary() {
        return "FILE --namespace NS --name VAR   register a CSV/binary matrix and hold it until stdin closes or Ctrl-C";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("namespace", "name");
    }

    @Override
    public int run(Arguments args, PrintStream out) throws IOException {
        if (args.positionals().size() != 1) {
            throw new UsageException("give exactly one file");
        }
        String namespace = args.required("namespace");
        String name = args.required("name");
        MatrixFile file = MatrixFile.probe(Path.of(args.positionals().getFirst()));
        MemShare memShare = MemShare.system();
        long start = System.nanoTime();
        memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, file.nrow(), file.ncol()), file::copyInto);
        try {
            out.printf("registered %s.%s: matrix %d x %d double, %d bytes, in %.3f s (pid %d)%n", namespace, name,
                file.nrow(), file.ncol(), file.dataBytes(), (System.nanoTime() - start) / 1e9, ProcessHandle.current().pid());
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
