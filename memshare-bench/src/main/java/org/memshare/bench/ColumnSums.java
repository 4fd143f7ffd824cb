package org.memshare.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.segment.StoreKind;

/**
 * A child process that sums every column of a registered double matrix, for reading a matrix larger
 * than the memory it may use: through views ({@code view DIR NS NAME}), with {@code memApply} on a
 * worker JVM ({@code apply DIR NS NAME}) or, as the baseline, with
 * {@link FileChannel#read} of the segment file ({@code read FILE OFFSET NROW NCOL}). Prints two
 * lines: the seconds the sums took and the process's peak resident memory in KiB, then the sums.
 */
final class ColumnSums {
    private static final int READ_BUFFER_BYTES = 4 << 20;

    private ColumnSums() {
    }

    /** @param args {@code view DIR NS NAME}, {@code apply DIR NS NAME} or {@code read FILE OFFSET NROW NCOL} */
    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        double[] sums = switch (args[0]) {
            case "view" -> viaViews(Path.of(args[1]), args[2], args[3]);
            case "apply" -> viaApply(Path.of(args[1]), args[2], args[3]);
            default -> viaRead(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]));
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(seconds + " " + peakResidentKib());
        StringJoiner line = new StringJoiner(" ");
        for (double sum : sums) {
            line.add(Double.toString(sum));
        }
        System.out.println(line);
    }

    /**
     * What a child reported.
     *
     * @param seconds how long the sums took
     * @param peakResidentBytes the most the child had resident at once (mapped pages included), -1 if unknown
     * @param sums the column sums
     */
    record Sums(double seconds, long peakResidentBytes, double[] sums) {
    }

    /**
     * Runs this class in a child JVM (heap 64 MiB) inside {@code limit} and waits for it.
     *
     * @param store the store the child opens the directory with
     * @param args the arguments of {@link #main}
     * @return what it printed
     * @throws IllegalStateException when the child fails or takes longer than 10 minutes
     */
    static Sums run(MemoryLimit limit, StoreKind store, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-D" + StoreKind.PROPERTY + "=" + store.label(),
            "-cp", System.getProperty("java.class.path"), ColumnSums.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(limit.wrap(command)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0 || lines.size() != 2) {
                throw new IllegalStateException("column sums child failed: args=" + List.of(args) + ", output=" + lines);
            }
            String[] first = lines.get(0).split(" ");
            String[] values = lines.get(1).split(" ");
            double[] sums = new double[values.length];
            for (int j = 0; j < sums.length; j++) {
                sums[j] = Double.parseDouble(values[j]);
            }
            long peakKib = Long.parseLong(first[1]);
            return new Sums(Double.parseDouble(first[0]), peakKib < 0 ? -1 : peakKib << 10, sums);
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double[] viaViews(Path directory, String namespace, String name) {
        try (MatrixView x = MemShare.forDirectory(directory).retrieveMatrix(namespace, name)) {
            double[] sums = new double[Math.toIntExact(x.ncol())];
            for (int j = 0; j < sums.length; j++) {
                // A column shares the matrix view's mapping: it is not closed on its own.
                sums[j] = x.column(j).sum();
            }
            return sums;
        }
    }

    /** memApply over the columns on one worker JVM, which starts inside this process's cgroup too. */
    private static double[] viaApply(Path directory, String namespace, String name) {
        try (Cluster cluster = Cluster.processes(1, MemShare.forDirectory(directory))) {
            List<Double> sums = Apply.memApply(name).namespace(namespace).columns().cluster(cluster)
                .run((column, vars) -> column.sum());
            return sums.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static double[] viaRead(Path file, long offset, long nrow, int ncol) throws IOException {
        double[] sums = new double[ncol];
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = nrow * ncol;
            long element = 0;
            while (element < total) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), (total - element) * 8));
                while (buffer.hasRemaining() && channel.read(buffer, offset + element * 8 + buffer.position()) > 0) {
                    // fill the buffer
                }
                buffer.flip();
                int count = buffer.limit() / 8;
                for (int k = 0; k < count; k++) {
                    sums[(int) ((element + k) / nrow)] += buffer.getDouble(k * 8);
                }
                element += count;
            }
        }
        return sums;
    }

    /** VmHWM from {@code /proc/self/status}: the most this process ever had resident, mapped pages included. */
    private static long peakResidentKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
