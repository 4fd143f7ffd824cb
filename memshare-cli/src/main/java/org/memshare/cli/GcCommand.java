package org.memshare.cli;

import java.io.PrintWriter;
import java.util.List;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memshare gc [--dry-run] [--json]}: reclaim segments whose owner process is dead. Entries it
 * leaves (another user's files, links, FIFOs, directories; an orphan whose unlink failed) are reported
 * on standard error, one line each with the reason. Exit code 0 when every orphan of this user was
 * reclaimed, {@value #INCOMPLETE} when some could not be (the others were), 1 when gc could not run.
 */
@Command(name = "gc", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Reclaim orphans: unlink segments whose owner process died, and files of this user left"
        + " without a header (an owner killed while creating one) once unchanged for a few seconds.",
        "Never touches live owners' segments, R memshare's segments, other users' files or files that are not"
            + " memshare's; each entry left is reported on standard error with the reason."},
    footer = {"", "Exit codes: 0 every orphan of this user reclaimed (other users' entries are only reported),"
        + " 3 some orphans of this user could not be reclaimed, 1 failure, 2 bad arguments."})
final class GcCommand implements Verb {
    /** Exit code when some of this user's orphans could not be reclaimed. */
    static final int INCOMPLETE = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "Only list what would be reclaimed.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print a JSON array of the reclaimed segments (as ls --json).")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MemShare memShare = MemShare.system();
        SegmentCensus.Report report = memShare.census().reclaim(dryRun);
        List<SegmentCensus.Entry> reclaimed = report.reclaimed();
        for (SegmentCensus.Skipped skipped : report.skipped()) {
            err.println(spec.qualifiedName() + ": " + (skipped.ownOrphan() ? "could not reclaim " : "left ")
                + skipped.entry().segmentName() + ": " + skipped.reason());
        }
        err.flush();
        int code = report.complete() ? 0 : INCOMPLETE;
        if (json) {
            JsonOutput.print(out, reclaimed.stream().map(e -> Reports.Segment.of(e, memShare.storeKind())).toList());
            return code;
        }
        long bytes = 0;
        for (SegmentCensus.Entry entry : reclaimed) {
            bytes += entry.bytes();
            out.println((dryRun ? "would reclaim " : "reclaimed ") + entry.name() + " (" + entry.bytes()
                + (entry.ownerKnown() ? " bytes, dead owner pid " + entry.owner().pid() : " bytes, no header") + ")");
        }
        out.println((dryRun ? "would reclaim " : "reclaimed ") + reclaimed.size() + " orphan segment(s), "
            + bytes + " bytes");
        return code;
    }
}
