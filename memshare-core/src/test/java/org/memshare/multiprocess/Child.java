package org.memshare.multiprocess;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.AlreadyRegisteredException;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.VectorView;

/** The other process in multi-process tests: {@code MODE DIR NS VAR [ARG]}; answers on stdout. */
public final class Child {
    private Child() {
    }

    /** Never returns for 3: the call it is part of runs until the process is signalled. */
    static double stuckAtThree(double value) {
        while (value == 3) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException ignored) {
                // deliberately deaf, as stuck code is
            }
        }
        return value;
    }

    /**
     * A caller's own loop over single-element reads, as user code writes it.
     *
     * @param view the vector
     * @return the sum of its elements
     */
    public static double callerLoop(VectorView view) {
        double sum = 0;
        for (long i = 0; i < view.length(); i++) {
            sum += view.get(i);
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        MemShare ms = MemShare.forDirectory(Path.of(args[1]));
        String ns = args[2];
        String var = args[3];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (mode) {
            case "colsums" -> {
                try (MatrixView m = ms.retrieveMatrix(ns, var)) {
                    StringJoiner sums = new StringJoiner(",");
                    for (long j = 0; j < m.ncol(); j++) {
                        sums.add(Double.toString(m.column(j).sum()));
                    }
                    System.out.println(sums);
                }
            }
            case "hold-view" -> {
                VectorView view = ms.retrieveVector(ns, var);
                System.out.println("ready");
                String command;
                while ((command = in.readLine()) != null) {
                    switch (command) {
                        case "sum" -> System.out.println(view.sum());
                        case "retrieve" -> {
                            try (VectorView again = ms.retrieveVector(ns, var)) {
                                System.out.println("ok " + again.sum());
                            } catch (RuntimeException e) {
                                System.out.println(e.getClass().getSimpleName());
                            }
                        }
                        default -> System.out.println("unknown command " + command);
                    }
                }
                view.close();
            }
            case "register" -> {
                int n = Integer.parseInt(args[4]);
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = i;
                }
                ms.register(ns, var, values);
                System.out.println("registered");
                while (in.readLine() != null) {
                    // Hold the page until stdin closes; exit lets the shutdown hook release it.
                }
            }
            case "register-in-place" -> {
                long bytes = Long.parseLong(args[4]);
                // Announce, then never finish writing: the test kills this process mid-registration.
                ms.register(ns, var, Shape.vector(ElementType.BYTE, bytes), data -> {
                    System.out.println("writing");
                    System.out.flush();
                    try {
                        while (in.readLine() != null) {
                            // wait for the kill
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            case "race" -> {
                // Ready, then told when to register (a wall-clock time, the same for every racer).
                System.out.println("ready");
                System.out.flush();
                long startAt = Long.parseLong(in.readLine());
                while (System.currentTimeMillis() < startAt) {
                    Thread.onSpinWait();
                }
                try {
                    ms.register(ns, var, new double[] {ProcessHandle.current().pid()});
                    System.out.println("won");
                } catch (AlreadyRegisteredException e) {
                    System.out.println("lost " + e.getMessage());
                }
                while (in.readLine() != null) {
                    // Keep the page while the test inspects it.
                }
            }
            case "gc" -> {
                // As whoever runs this JVM (another user in the tests): reclaim, then report each entry.
                SegmentCensus.Report report = ms.census().reclaim(false);
                for (SegmentCensus.Entry entry : report.reclaimed()) {
                    System.out.println("reclaimed " + entry.segmentName());
                }
                for (SegmentCensus.Skipped skipped : report.skipped()) {
                    System.out.println("skipped " + skipped.entry().segmentName() + " own=" + skipped.ownOrphan()
                        + " " + skipped.reason());
                }
                System.out.println("complete=" + report.complete());
            }
            case "block-on-fifo" -> {
                // A page, a refused FIFO-named variable, then a registration blocked reading a FIFO input.
                ms.register(ns, var, new double[] {1, 2, 3});
                try (VectorView planted = ms.retrieveVector(ns, "planted")) {
                    System.out.println("opened " + planted.length());
                } catch (RuntimeException e) {
                    System.out.println("refused " + e.getMessage());
                }
                ms.register(ns, var + "2", Shape.vector(ElementType.BYTE, 1 << 20),
                    data -> {
                        System.out.println("blocked");
                        System.out.flush();
                        try (InputStream input = new FileInputStream(args[4])) {
                            input.read();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            }
            case "register-slowly" -> {
                long bytes = Long.parseLong(args[4]);
                long chunk = 1 << 20;
                ms.register(ns, var, Shape.vector(ElementType.BYTE, bytes), data -> {
                    for (long at = 0; at < bytes; at += chunk) {
                        data.asSlice(at, Math.min(chunk, bytes - at)).fill((byte) 1);
                        if (at == 0) {
                            System.out.println("writing");
                            System.out.flush();
                        }
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }
                });
                System.out.println("registered");
            }
            case "hold-views" -> {
                // Views of several vectors; "sum NAME" answers the sum or the exception, never dies.
                Map<String, VectorView> held = new HashMap<>();
                for (int i = 3; i < args.length; i++) {
                    held.put(args[i], ms.retrieveVector(ns, args[i]));
                }
                System.out.println("ready");
                String command;
                while ((command = in.readLine()) != null) {
                    String[] words = command.split(" ");
                    try {
                        VectorView view = held.get(words[1]);
                        double result = switch (words[0]) {
                            case "sum" -> view.sum();
                            case "get" -> view.get(view.length() - 1);
                            case "copy" -> view.toDoubleArray()[(int) view.length() - 1];
                            default -> throw new IllegalArgumentException(words[0]);
                        };
                        System.out.println("ok " + result);
                    } catch (RuntimeException | InternalError e) {
                        System.out.println("error " + e.getClass().getSimpleName() + " " + e.getMessage());
                    }
                }
            }
            case "truncate-under-caller-loop" -> {
                // A vector, a caller's loop over get compiled (run with -Xbatch: compiled before it returns),
                // then the file cut to one page under the view: what does the loop throw?
                int n = 1 << 20;
                double[] values = new double[n];
                Arrays.fill(values, 1.0);
                ms.register(ns, var, values);
                try (VectorView view = ms.retrieveVector(ns, var)) {
                    for (int i = 0; i < 50; i++) {
                        callerLoop(view);
                    }
                    try (FileChannel file = FileChannel.open(Path.of(args[1], "memshare." + ns + "." + var),
                        StandardOpenOption.WRITE)) {
                        file.truncate(4096);
                    }
                    try {
                        System.out.println("returned " + callerLoop(view));
                    } catch (RuntimeException | InternalError e) {
                        System.out.println(e.getClass().getSimpleName() + " " + e.getMessage());
                    }
                }
            }
            case "apply-stuck" -> {
                // A page, then a call on worker JVMs (its data registered for the call) that never ends.
                ms.register(ns, var, new double[] {1, 2, 3});
                try (Cluster cluster = Cluster.processes(2, ms)) {
                    Apply.memApply(new double[][] {{0, 1, 2, 3, 4, 5, 6, 7}})
                        .var("w", new double[] {1, 2})
                        .cluster(cluster)
                        .progress((done, total) -> {
                            System.out.println("applying");
                            System.out.flush();
                        })
                        .run((c, vars) -> stuckAtThree(c.get(0)));
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.flush();
    }
}
