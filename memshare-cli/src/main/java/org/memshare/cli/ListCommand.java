package org.memshare.cli;

import java.io.PrintWriter;
import java.util.List;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.segment.ProcessIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memshare ls [--json]}: the live segments of this library on the machine. */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"List the segments in shared memory: namespace, variable, kind, type, shape, bytes, owner, layout.",
        "A name that fails the trust check (another user's file, a link, FIFO or directory) is listed as foreign or"
            + " not-a-segment with the reason, and never opened further."})
final class ListCommand implements Verb {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array of segments.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MemShare memShare = MemShare.system();
        List<SegmentCensus.Entry> entries = memShare.census().list();
        if (json) {
            JsonOutput.print(out, entries.stream().map(e -> Reports.Segment.of(e, memShare.storeKind())).toList());
            return 0;
        }
        out.printf("%-16s %-24s %-7s %-7s %-14s %14s %8s %-6s %s%n",
            "NAMESPACE", "VARIABLE", "KIND", "TYPE", "SHAPE", "BYTES", "OWNER", "ALIVE", "LAYOUT");
        for (SegmentCensus.Entry entry : entries) {
            out.printf("%-16s %-24s %-7s %-7s %-14s %14d %8s %-6s %s%n",
                entry.name().namespace(), entry.name().variable(), Reports.Segment.kindLabel(entry),
                entry.elementType() == null ? "-" : entry.elementType().label(),
                shapeLabel(entry.shape()), entry.bytes(),
                entry.owner().equals(ProcessIdentity.UNKNOWN) ? "-" : Long.toString(entry.owner().pid()),
                !entry.ownerKnown() ? "-" : entry.ownerAlive() ? "yes" : "no", entry.layout().label());
        }
        for (SegmentCensus.Entry entry : entries) {
            if (entry.isRefused()) {
                out.println(entry.segmentName() + ": " + entry.state().label() + ", never opened: " + entry.reason());
            } else if (entry.reason() != null) {
                out.println(entry.segmentName() + ": " + entry.state().label() + ", " + entry.reason());
            }
        }
        if (entries.isEmpty()) {
            out.println("(no segments in " + memShare.directory() + ", store " + memShare.storeKind().label() + ")");
        }
        return 0;
    }

    static String shapeLabel(List<Long> shape) {
        StringBuilder label = new StringBuilder();
        for (Long dim : shape) {
            label.append(label.isEmpty() ? "" : "x").append(dim);
        }
        return label.isEmpty() ? "-" : label.toString();
    }
}
