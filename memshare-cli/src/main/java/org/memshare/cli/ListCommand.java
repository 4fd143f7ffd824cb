package org.memshare.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;

/** {@code memshare ls [--json]}: the live segments of this library on the machine. */
final class ListCommand implements Command {
    @Override
    public String verb() {
        return "ls";
    }

    @Override
    public String summary() {
        return "[--json]   list live segments (namespace, variable, kind, type, shape, bytes, owner)";
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("ls takes no positional arguments");
        }
        List<SegmentCensus.Entry> entries = MemShare.system().census().list();
        if (args.flag("json")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SegmentCensus.Entry entry : entries) {
                rows.add(toJson(entry));
            }
            out.println(Json.write(rows));
            return 0;
        }
        out.printf("%-16s %-24s %-7s %-7s %-14s %14s %8s %-6s %s%n",
            "NAMESPACE", "VARIABLE", "KIND", "TYPE", "SHAPE", "BYTES", "OWNER", "ALIVE", "LAYOUT");
        for (SegmentCensus.Entry entry : entries) {
            out.printf("%-16s %-24s %-7s %-7s %-14s %14d %8s %-6s %s%n",
                entry.name().namespace(), entry.name().variable(), kindLabel(entry),
                entry.elementType() == null ? "-" : entry.elementType().label(),
                shapeLabel(entry.shape()), entry.bytes(),
                entry.owner().pid() == 0 ? "-" : Long.toString(entry.owner().pid()),
                !entry.ownerKnown() ? "-" : entry.ownerAlive() ? "yes" : "no", entry.layout().label());
        }
        if (entries.isEmpty()) {
            out.println("(no segments in " + MemShare.system().directory() + ")");
        }
        return 0;
    }

    static Map<String, Object> toJson(SegmentCensus.Entry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("namespace", entry.name().namespace());
        row.put("name", entry.name().variable());
        row.put("kind", kindLabel(entry));
        row.put("type", entry.elementType() == null ? null : entry.elementType().label());
        row.put("shape", entry.shape());
        row.put("bytes", entry.bytes());
        row.put("owner_pid", entry.owner().pid());
        // R memshare's layout records no owner: unknown, not dead.
        row.put("owner_alive", entry.ownerKnown() ? entry.ownerAlive() : null);
        row.put("layout", entry.layout().label());
        row.put("state", entry.state().name().toLowerCase());
        return row;
    }

    private static String kindLabel(SegmentCensus.Entry entry) {
        return entry.kind() == null ? entry.state().name().toLowerCase() : entry.kind().label();
    }

    static String shapeLabel(List<Long> shape) {
        StringBuilder label = new StringBuilder();
        for (Long dim : shape) {
            label.append(label.isEmpty() ? "" : "x").append(dim);
        }
        return label.isEmpty() ? "-" : label.toString();
    }
}
