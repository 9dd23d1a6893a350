package org.natgrad.experiment.bernacchia2018;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The four panels of Figure 1 (math.md §2.8). A–C are deep linear networks trained on data from
 * a random teacher of the same architecture; D is a tanh autoencoder on MNIST digits.
 */
public enum Panel {
    /** "Square": input 20, then 16 layers of width 20. */
    A("square deep linear network", square(20, 16)),
    /** "Non-square": 20, 30, ..., 100, ..., 30, 20 (16 layers, the official code's widths). */
    B("non-square deep linear network", List.of(20, 30, 40, 50, 60, 70, 80, 90, 100, 90, 80, 70, 60, 50, 40, 30, 20)),
    /** "Bottleneck": 200, 80, 34, 20, 10, 5, 2, 5, 10, 20, 34, 80, 200 (12 layers). */
    C("bottleneck deep linear network", List.of(200, 80, 34, 20, 10, 5, 2, 5, 10, 20, 34, 80, 200)),
    /** MNIST autoencoder 784-400-200-100-50-100-200-400-784, tanh except the final linear layer. */
    D("MNIST tanh autoencoder", List.of(784, 400, 200, 100, 50, 100, 200, 400, 784));

    private final String description;
    private final List<Integer> widths;

    Panel(String description, List<Integer> widths) {
        this.description = description;
        this.widths = widths;
    }

    /** A one-line description for reports. */
    public String description() {
        return description;
    }

    /** The paper's widths n_0, ..., n_L, input first. */
    public List<Integer> paperWidths() {
        return widths;
    }

    /** True for the deep linear panels A–C. */
    public boolean isLinear() {
        return this != D;
    }

    private static List<Integer> square(int width, int layers) {
        List<Integer> w = new ArrayList<>(Collections.nCopies(layers + 1, width));
        return List.copyOf(w);
    }

    /**
     * Parses a comma-separated list such as "A,B,C" or "a, d" (order and repeats ignored).
     *
     * @throws IllegalArgumentException naming the offending entry
     */
    public static Set<Panel> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--panels: empty list; expected some of A,B,C,D");
        }
        EnumSet<Panel> set = EnumSet.noneOf(Panel.class);
        for (String part : text.split(",")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            try {
                set.add(Panel.valueOf(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--panels: unknown panel '" + part.trim() + "'; expected some of A,B,C,D");
            }
        }
        return set;
    }
}
