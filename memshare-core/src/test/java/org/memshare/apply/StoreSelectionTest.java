package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.segment.StoreKind;
import org.memshare.testing.TempShm;

/** Worker JVMs use their registry's store, whatever chose it in the calling process. */
@Timeout(120)
class StoreSelectionTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void workersOpenTheDirectoryWithTheCallersStore() {
        StoreKind other = StoreKind.configured() == StoreKind.POSIX ? StoreKind.FILE : StoreKind.POSIX;
        String before = System.getProperty(StoreKind.PROPERTY);
        try {
            // A property set in this process only: the workers must be told, not inherit it.
            System.setProperty(StoreKind.PROPERTY, other.label());
            MemShare registry = MemShare.forDirectory(shm.directory());
            assertEquals(other, registry.storeKind());
            try (Cluster cluster = Cluster.processes(1, registry)) {
                List<String> seen = Apply.memApply(new double[][] {{1, 2}, {3, 4}}).columns().cluster(cluster)
                    .run((column, vars) -> StoreKind.configured().label() + " " + column.sum());
                assertEquals(List.of(other.label() + " 4.0", other.label() + " 6.0"), seen);
            }
        } finally {
            if (before == null) {
                System.clearProperty(StoreKind.PROPERTY);
            } else {
                System.setProperty(StoreKind.PROPERTY, before);
            }
        }
    }
}
