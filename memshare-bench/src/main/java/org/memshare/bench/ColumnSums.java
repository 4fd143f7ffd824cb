package org.memshare.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;

/**
 * A child process that sums every column of a registered double matrix, for reading a matrix larger
 * than the memory it may use: through views ({@code view DIR NS NAME}) or, as the baseline, with
 * {@link FileChannel#read} of the segment file ({@code read FILE OFFSET NROW NCOL}). Prints two
 * lines: the seconds the sums took and the process's peak resident memory in KiB, then the sums.
 */
final class ColumnSums {
    private static final int READ_BUFFER_BYTES = 4 << 20;

    private ColumnSums() {
    }

    /** @param args {@code view DIR NS NAME} or {@code read FILE OFFSET NROW NCOL} */
    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        double[] sums = args[0].equals("view")
            ? viaViews(Path.of(args[1]), args[2], args[3])
            : viaRead(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(seconds + " " + peakResidentKib());
        StringJoiner line = new StringJoiner(" ");
        for (double sum : sums) {
            line.add(Double.toString(sum));
        }
        System.out.println(line);
    }

    /**
     * @param java the command that starts a JVM, with its options
     * @param args the arguments of {@link #main}
     * @return the command line of a child running this class
     */
    static List<String> command(List<String> java, String... args) {
        List<String> command = new ArrayList<>(java);
        command.add(ColumnSums.class.getName());
        command.addAll(List.of(args));
        return command;
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
