package org.memshare.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;

/** {@code memshare gc [--dry-run] [--json]}: reclaim segments whose owner process is dead. */
final class GcCommand implements Command {
    @Override
    public String verb() {
        return "gc";
    }

    @Override
    public String summary() {
        return "[--dry-run] [--json]   reclaim orphans (segments whose owner died)";
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("dry-run", "json");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("gc takes no positional arguments");
        }
        boolean dryRun = args.flag("dry-run");
        List<SegmentCensus.Entry> reclaimed = MemShare.system().census().reclaimOrphans(dryRun);
        if (args.flag("json")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SegmentCensus.Entry entry : reclaimed) {
                rows.add(ListCommand.toJson(entry));
            }
            out.println(Json.write(rows));
            return 0;
        }
        long bytes = 0;
        for (SegmentCensus.Entry entry : reclaimed) {
            bytes += entry.bytes();
            out.println((dryRun ? "would reclaim " : "reclaimed ") + entry.name() + " (" + entry.bytes()
                + " bytes, dead owner pid " + entry.owner().pid() + ")");
        }
        out.println((dryRun ? "would reclaim " : "reclaimed ") + reclaimed.size() + " orphan segment(s), "
            + bytes + " bytes");
        return 0;
    }
}
