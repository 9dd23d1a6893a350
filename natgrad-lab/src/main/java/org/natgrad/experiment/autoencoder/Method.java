package org.natgrad.experiment.autoencoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The optimizers the autoencoder experiment compares. */
public enum Method {
    /** SGD with heavy-ball momentum 0.9; learning rate chosen on a grid by a short run. */
    SGD,
    /** Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8); learning rate chosen on a grid by a short run. */
    ADAM,
    /** Eq. 20 natural gradient ({@code CurvatureChoice.EQ20}) with Levenberg–Marquardt damping. */
    NGD,
    /** K-FAC ({@code CurvatureChoice.KFAC}) with Levenberg–Marquardt damping and periodic refresh. */
    KFAC;

    /** The command-line and file-name spelling ("sgd", "adam", "ngd", "kfac"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the learning rate is chosen on a grid. */
    public boolean firstOrder() {
        return this == SGD || this == ADAM;
    }

    /** Parses "sgd,adam,ngd,kfac" (any subset, any order, no repeats; "all" for every method). */
    public static List<Method> parseList(String s) {
        if (s == null || s.isBlank() || s.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<Method> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            Method m = switch (p) {
                case "sgd" -> SGD;
                case "adam" -> ADAM;
                case "ngd", "eq20" -> NGD;
                case "kfac", "k-fac" -> KFAC;
                default -> throw new IllegalArgumentException("--methods: unknown method '" + part
                        + "'; expected a comma-separated subset of sgd,adam,ngd,kfac");
            };
            if (out.contains(m)) {
                throw new IllegalArgumentException("--methods: " + p + " given twice in '" + s + "'");
            }
            out.add(m);
        }
        return List.copyOf(out);
    }
}
