package org.memshare.cli;

import java.io.PrintWriter;
import java.util.List;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memshare gc [--dry-run] [--json]}: reclaim segments whose owner process is dead. */
@Command(name = "gc", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Reclaim orphans: unlink segments whose owner process died.",
        "Never touches live owners' segments, R memshare's segments or files that are not memshare's."})
final class GcCommand implements Verb {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "Only list what would be reclaimed.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print a JSON array of the reclaimed segments (as ls --json).")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SegmentCensus.Entry> reclaimed = MemShare.system().census().reclaimOrphans(dryRun);
        if (json) {
            JsonOutput.print(out, reclaimed.stream().map(Reports.Segment::of).toList());
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
