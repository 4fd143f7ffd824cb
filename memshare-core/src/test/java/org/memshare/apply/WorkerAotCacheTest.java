package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which ahead-of-time cache worker JVMs get: only one made for the very jar they run from. */
class WorkerAotCacheTest {

    private static Optional<Path> cacheFor(String classPath) {
        return WorkerLaunch.aotCacheFor(Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).toList());
    }

    @Test
    void aFreshCacheBesideTheJarIsUsedAnOldOneOrAnotherClassPathIsNot(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("memshare.jar"), "jar");
        Path cache = Files.writeString(dir.resolve("memshare" + WorkerLaunch.AOT_CACHE_SUFFIX), "cache");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(cache, FileTime.fromMillis(2_000_000));
        assertEquals(Optional.of(cache), cacheFor(jar.toString()));
        Files.setLastModifiedTime(cache, FileTime.fromMillis(500_000));
        assertTrue(cacheFor(jar.toString()).isEmpty(), "a cache older than the jar was made for another build");
        Files.setLastModifiedTime(cache, FileTime.fromMillis(2_000_000));
        assertTrue(cacheFor(jar + File.pathSeparator + dir).isEmpty(), "a class path of several entries");
        assertTrue(cacheFor(dir.toString()).isEmpty(), "a directory class path");
        Files.delete(cache);
        assertTrue(cacheFor(jar.toString()).isEmpty());
    }
}
