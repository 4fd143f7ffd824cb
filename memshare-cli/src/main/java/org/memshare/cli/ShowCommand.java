package org.memshare.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.StorageLayout;
import org.memshare.segment.Access;
import org.memshare.registry.Metadata;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;

/**
 * {@code memshare show NS VAR [--r-layout] [--json]}: metadata and a summary of a live variable, read
 * through a view; with {@code --r-layout} a variable in R memshare's layout (registered by R).
 */
final class ShowCommand implements Command {
    private static final int FIRST_VALUES = 6;

    @Override
    public String verb() {
        return "show";
    }

    @Override
    public String summary() {
        return "NAMESPACE VARIABLE [--r-layout] [--json]   metadata and summary (sum, min, max, first values);"
            + " --r-layout reads a variable R memshare registered";
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json", "r-layout");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) {
        if (args.positionals().size() != 2) {
            throw new UsageException("give a namespace and a variable");
        }
        String namespace = args.positionals().get(0);
        String name = args.positionals().get(1);
        StorageLayout layout = args.flag("r-layout") ? StorageLayout.R_MEMSHARE : StorageLayout.MEMSHARE;
        try (View view = MemShare.system().retrieveView(namespace, name, Access.READ_ONLY, layout)) {
            Summary summary = new Summary();
            for (VectorView values : parts(view)) {
                summary.add(values);
            }
            Metadata metadata = view.metadata();
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("kind", metadata.kind().label());
            shown.put("type", metadata.elementType() == null ? null : metadata.elementType().label());
            shown.put("shape", metadata.shape());
            shown.put("bytes", metadata.dataBytes());
            if (layout != StorageLayout.MEMSHARE) {
                // Only when asked for, so the default output stays as it was.
                shown.put("layout", metadata.layout().label());
            }
            shown.put("sum", summary.sum);
            shown.put("min", summary.count == 0 ? null : summary.min);
            shown.put("max", summary.count == 0 ? null : summary.max);
            if (args.flag("json")) {
                out.println(Json.write(shown));
                return 0;
            }
            out.println(metadata.name() + ": " + metadata.kind().label()
                + (metadata.elementType() == null ? "" : " of " + metadata.elementType().label())
                + " " + ListCommand.shapeLabel(metadata.shape()) + ", " + metadata.dataBytes() + " bytes");
            out.println("  owner pid " + metadata.owner().pid() + ", created " + metadata.created()
                + ", format " + metadata.layout().label() + " v" + metadata.formatVersion());
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
    private static final class Summary {
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long count;
        long missing;
        final List<Double> first = new ArrayList<>();

        void add(VectorView values) {
            for (long i = 0; i < values.length(); i++) {
                double v = values.get(i);
                if (first.size() < FIRST_VALUES) {
                    first.add(v);
                }
                if (Double.isNaN(v)) {
                    missing++;
                    continue;
                }
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                count++;
            }
        }
    }
}
