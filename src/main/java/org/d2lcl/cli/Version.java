package org.d2lcl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code -V} prints on every command: {@code d2l-cl VERSION}, the artifact's version, which
 * Maven writes into {@code version.properties} beside this class when it builds the jar.
 */
final class Version implements IVersionProvider {
    private static final String RESOURCE = "version.properties";

    /** The artifact's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String get() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path beside " + Version.class.getName()
                        + ": build with Maven, which writes it");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"d2l-cl " + get()};
    }
}
