package org.memshare.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;

/**
 * The training run for the command's own ahead-of-time cache: {@code ./memshare} runs it once after
 * each build with {@code -XX:AOTCacheOutput} and starts every command with that cache, so the classes
 * a command loads (picocli, the verbs, Jackson, the file readers, the cluster's parent side) come
 * loaded and linked, with method profiles for the JIT. The workload is one no benchmark measures:
 * {@code select} on a 3,000 × 60 CSV of another seed with a 3-class target (the benchmarks read
 * 5,000 × 400 with 4 classes), on threads, on one worker JVM and with {@code --json}, then
 * {@code ls} and {@code --help}. Not a verb: the launcher calls this class directly.
 */
final class CommandTraining {
    private static final int ROWS = 3_000;
    private static final int FEATURES = 60;

    private CommandTraining() {
    }

    public static void main(String[] args) throws Exception {
        MemShare memShare = MemShare.system();
        Path directory = Files.createTempDirectory("memshare-command-training-");
        Path csv = directory.resolve("training.csv");
        String namespace = "commandtraining" + ProcessHandle.current().pid();
        try {
            SyntheticData data = SyntheticData.register(memShare, namespace, "X", ROWS, FEATURES, 3, 3, 20_251_201);
            List<String> names = new ArrayList<>(data.featureNames());
            names.add("class");
            try (MatrixView matrix = memShare.retrieveMatrix(namespace, "X")) {
                CsvOutput.writeMatrix(csv, names, ROWS,
                    (row, column) -> column < FEATURES ? matrix.get(row, column) : data.target()[(int) row]);
            }
            memShare.releaseNamespace(namespace);
            String file = csv.toString();
            run("select", "--input", file, "--target", "class", "--discrete-target", "--top", "5");
            run("select", "--input", file, "--target", "class", "--discrete-target", "--cluster", "processes",
                "--workers", "1", "--json");
            run("select", "--input", file, "--target", "class", "--top", "3", "--quiet");
            run("ls");
            run("--help");
        } finally {
            memShare.releaseNamespace(namespace);
            Files.deleteIfExists(csv);
            Files.deleteIfExists(directory);
        }
    }

    /** Runs one command line as {@code memshare} would, its output discarded; a failure fails the training. */
    private static void run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("training command failed: args=" + String.join(" ", args) + ", exit=" + code
                + ", stderr=" + err.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
