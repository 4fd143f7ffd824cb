package org.memshare.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.Metadata;
import org.memshare.registry.StorageLayout;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;
import org.memshare.segment.Access;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memshare show NS VAR [--r-layout] [--json]}: metadata and a summary of a live variable, read
 * through a view; with {@code --r-layout} a variable in R memshare's layout (registered by R).
 */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Show a live variable's metadata and a summary: sum, min, max (missing values skipped), first values.")
final class ShowCommand implements Verb {
    private static final int FIRST_VALUES = 6;
    private static final int CHUNK = 1 << 16;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAMESPACE", description = "Namespace of the variable.")
    private String namespace;

    @Parameters(index = "1", paramLabel = "VARIABLE", description = "Name of the variable.")
    private String name;

    @Option(names = "--r-layout", description = "Read a variable that R memshare registered.")
    private boolean rLayout;

    @Option(names = "--json", description = "Print the metadata and summary as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StorageLayout layout = rLayout ? StorageLayout.R_MEMSHARE : StorageLayout.MEMSHARE;
        MemShare memShare = MemShare.system();
        try (View view = memShare.retrieveView(namespace, name, Access.READ_ONLY, layout)) {
            Statistics summary = new Statistics();
            for (VectorView values : parts(view)) {
                summary.add(values);
            }
            Metadata metadata = view.metadata();
            if (json) {
                JsonOutput.print(out, new Reports.Summary(metadata.kind().label(),
                    metadata.elementType() == null ? null : metadata.elementType().label(), metadata.shape(),
                    metadata.dataBytes(),
                    // Only when asked for, so the default output stays as it was.
                    layout == StorageLayout.MEMSHARE ? null : metadata.layout().label(),
                    summary.sum, summary.count == 0 ? null : summary.min, summary.count == 0 ? null : summary.max,
                    memShare.storeKind().label(),
                    metadata.columnNames().isEmpty() ? null : metadata.columnNames()));
                return 0;
            }
            out.println(metadata.name() + ": " + metadata.kind().label()
                + (metadata.elementType() == null ? "" : " of " + metadata.elementType().label())
                + " " + ListCommand.shapeLabel(metadata.shape()) + ", " + metadata.dataBytes() + " bytes");
            out.println("  owner pid " + metadata.owner().pid() + ", created " + metadata.created()
                + ", format " + metadata.layout().label() + " v" + metadata.formatVersion());
            if (!metadata.columnNames().isEmpty()) {
                out.println("  columns " + String.join(", ", metadata.columnNames()));
            }
            out.println("  sum " + summary.sum + ", min " + summary.min + ", max " + summary.max
                + ", missing " + summary.missing);
            out.println("  first values " + summary.first);
            return 0;
        }
    }

    private static List<VectorView> parts(View view) {
        return switch (view) {
            case VectorView vector -> List.of(vector);
            case MatrixView matrix -> List.of(matrix.all());
            case ListView list -> {
                List<VectorView> parts = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    parts.add(list.vector(i));
                }
                yield parts;
            }
        };
    }

    /** Sum, min and max over the non-missing values; the first few values as they are. */
    private static final class Statistics {
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long count;
        long missing;
        final List<Double> first = new ArrayList<>();

        void add(VectorView values) {
            // In chunks through copyTo: the bulk path, without the per-element cost of get.
            double[] chunk = new double[(int) Math.min(values.length(), CHUNK)];
            for (long from = 0; from < values.length(); from += chunk.length) {
                int count = (int) Math.min(chunk.length, values.length() - from);
                values.copyTo(chunk, 0, from, count);
                for (int k = 0; k < count; k++) {
                    add(chunk[k]);
                }
            }
        }

        private void add(double v) {
            if (first.size() < FIRST_VALUES) {
                first.add(v);
            }
            if (Double.isNaN(v)) {
                missing++;
                return;
            }
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            count++;
        }
    }
}
