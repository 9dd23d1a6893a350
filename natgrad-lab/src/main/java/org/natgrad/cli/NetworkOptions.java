package org.natgrad.cli;

import java.util.ArrayList;
import java.util.List;
import org.natgrad.nn.Activation;
import picocli.CommandLine.Option;

/**
 * The network flags of a command that builds a network (a picocli mixin): {@code --layers}
 * (widths n_0, ..., n_L, input first), {@code --activation} (hidden layers),
 * {@code --output-activation} and {@code --bias}. Parsing errors are IllegalArgumentExceptions
 * naming the flag; the command turns them into usage errors.
 */
final class NetworkOptions {

    @Option(names = "--layers", paramLabel = "N0,N1,...",
            description = "Widths, input first, e.g. 20,30,20 (required unless --resume).")
    String layers;

    @Option(names = "--activation", defaultValue = "tanh", paramLabel = "NAME",
            description = "Hidden activation: identity, tanh, relu, sigmoid, softplus (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--output-activation", defaultValue = "identity", paramLabel = "NAME",
            description = "Output activation (default: ${DEFAULT-VALUE}).")
    String outputActivation;

    @Option(names = "--bias", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Trainable biases (default: on; --no-bias for none).")
    boolean bias;

    /** The widths n_0, ..., n_L of {@code --layers}. */
    List<Integer> widths() {
        return parseLayers(layers);
    }

    /** The hidden activation. */
    Activation hidden() {
        return Activation.parse(activation);
    }

    /** The output activation. */
    Activation output() {
        return Activation.parse(outputActivation);
    }

    /** "20,30,20" as widths, naming the bad entry. */
    static List<Integer> parseLayers(String s) {
        List<Integer> w = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            try {
                w.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers: '" + part + "' in '" + s
                        + "' is not an integer width (expected e.g. 20,30,20)");
            }
        }
        return w;
    }
}
