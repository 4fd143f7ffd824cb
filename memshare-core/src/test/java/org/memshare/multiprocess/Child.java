package org.memshare.multiprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.memshare.registry.AlreadyRegisteredException;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.VectorView;

/** The other process in multi-process tests: {@code MODE DIR NS VAR [ARG]}; answers on stdout. */
public final class Child {
    private Child() {
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
                ms.register(ns, var, org.memshare.format.Shape.vector(org.memshare.format.ElementType.BYTE, bytes), data -> {
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
                long startAt = Long.parseLong(args[4]);
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
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.flush();
    }
}
