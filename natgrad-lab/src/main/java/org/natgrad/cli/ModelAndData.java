package org.natgrad.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.natgrad.data.Dataset;
import org.natgrad.data.DatasetFiles;
import org.natgrad.io.ModelFiles;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Network;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options a command that analyses a saved network on a batch shares ({@code --model},
 * {@code --data}, {@code --activation}, {@code --output-activation}; a picocli mixin), and their
 * loading: the model's widths must fit the data's shapes, and the error names both.
 */
final class ModelAndData {

    /** A network and the batch it is analysed on. */
    record Loaded(Network network, Dataset data) {
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", required = true, paramLabel = "M.npz",
            description = "Model file: float64 W1..WL (n_i x n_(i-1)) and b1..bL (n_i).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "D.npz",
            description = "Data file: x (N x n0) and y (N x nL), one example per row.")
    Path data;

    @Option(names = "--activation", required = true, paramLabel = "NAME",
            description = "Hidden activation: identity, tanh, relu, sigmoid, softplus.")
    String activation;

    @Option(names = "--output-activation", defaultValue = "identity", paramLabel = "NAME",
            description = "Output activation (default: ${DEFAULT-VALUE}).")
    String outputActivation;

    /**
     * Loads the model and the data.
     *
     * @throws CommandLine.ParameterException for an unknown activation
     * @throws IllegalArgumentException       if the shapes do not fit (naming both) or there is no example
     */
    Loaded load() throws IOException {
        Activation hidden = Commands.parse(command, "--activation", () -> Activation.parse(activation));
        Activation output = Commands.parse(command, "--output-activation", () -> Activation.parse(outputActivation));
        Network net = ModelFiles.load(model, hidden, output);
        Dataset d = DatasetFiles.read(data);
        if (d.inputSize() != net.inputSize() || d.targetSize() != net.outputSize()) {
            throw new IllegalArgumentException("model " + model + " has widths " + net.widths() + " (takes "
                    + net.inputSize() + " inputs, gives " + net.outputSize() + " outputs) but data " + data
                    + " has x of shape (" + d.size() + ", " + d.inputSize() + ") and y of shape (" + d.size() + ", "
                    + d.targetSize() + ")");
        }
        if (d.size() == 0) {
            throw new IllegalArgumentException("data " + data + " has no examples");
        }
        return new Loaded(net, d);
    }
}
