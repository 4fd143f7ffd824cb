package org.memshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version that {@code memshare --version} prints: the build's, written into a resource by Maven. */
public final class Version implements IVersionProvider {
    /** Creates the provider (picocli instantiates it). */
    public Version() {
    }

    /**
     * The version of this build.
     *
     * @return the project version, for example {@code 0.2.0}
     */
    public static String number() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the command line's jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
    }

    /**
     * The lines {@code --version} prints.
     *
     * @return one line: {@code memshare VERSION}
     */
    @Override
    public String[] getVersion() {
        return new String[] {"memshare " + number()};
    }
}
