/**
 * memshare: zero-copy shared memory between processes, parallel apply over shared matrices and
 * mutual-information feature ranking. No dependencies beyond the JDK; native access goes through
 * {@code java.lang.foreign} only, so applications run with {@code --enable-native-access=org.memshare}
 * (or {@code ALL-UNNAMED} on the class path).
 *
 * <pre>{@code
 * MemShare memShare = MemShare.system();
 * memShare.register("ns", "X", Variable.matrix(3, 2, new double[] {1, 2, 3, 4, 5, 6}));
 * try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {
 *     double corner = x.get(2, 1);
 * }
 * memShare.releaseVariables("ns", "X");
 * }</pre>
 */
module org.memshare {
    // The API. Internal packages (org.memshare.segment.internal: system calls and mappings;
    // org.memshare.format.internal: the byte layouts) are not exported.
    exports org.memshare.registry;
    exports org.memshare.io;
    exports org.memshare.apply;
    exports org.memshare.stats;
    exports org.memshare.format;
    exports org.memshare.segment;
}
