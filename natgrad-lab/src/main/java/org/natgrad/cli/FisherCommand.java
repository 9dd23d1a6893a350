package org.natgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.curvature.FisherReport;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.RunFolder;
import org.natgrad.io.Npy;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code natgrad fisher}: the exact Fisher, the gradient, the Eq. 10 natural-gradient step and,
 * for a bias-free square deep linear network with a Gaussian output, the Eq. 23 generalized
 * inverse, of a saved model on a data set (all of it as one batch), written as {@code .npy}
 * files in parameter order (per layer vec(W_i) column-major, then b_i; see
 * {@link FisherReport}). For small networks only ({@link DenseFisher#MAX_PARAMETERS}).
 */
@Command(name = "fisher", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exact Fisher (F.npy, P x P), gradient of the mean loss (grad.npy), Eq. 10 step to add "
                + "(ngd.npy: alpha 1, no damping, pseudo-inverses, exact expectations over the model's outputs) and, "
                + "for a bias-free square deep linear net with a Gaussian output, the Eq. 23 inverse (Fg.npy).",
                "Parameter order: per layer vec(W_i) column-major (Fortran order), then b_i. provenance.json records the "
                + "command."},
        footer = {"", "Example:", "  natgrad fisher --model m.npz --data d.npz --activation tanh --likelihood gaussian --out fisher/"})
public final class FisherCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelAndData io;

    @Option(names = "--likelihood", defaultValue = "gaussian", paramLabel = "NAME",
            description = "gaussian (unit variance), categorical or bernoulli (default: ${DEFAULT-VALUE}).")
    String likelihood;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    Path out;

    @Option(names = "--force", description = "Write into OUT even if it is not empty: its run files are replaced "
            + "as a set (only in a natgrad run folder).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Likelihood lik = Commands.parse(spec, "--likelihood", () -> Likelihood.parse(likelihood));
        ModelAndData.Loaded loaded = io.load();
        Network net = loaded.network();
        Dataset d = loaded.data();
        if (net.parameterCount() > DenseFisher.MAX_PARAMETERS) {
            throw new IllegalArgumentException("model " + io.model + " has " + net.parameterCount()
                    + " parameters; natgrad fisher forms a dense P x P Fisher and accepts at most "
                    + DenseFisher.MAX_PARAMETERS);
        }
        FisherReport r = FisherReport.compute(net, lik, d.all());
        try (RunFolder folder = RunFolder.create(out, force)) {
            folder.writeProvenance(0, Commands.argv(spec, "fisher"));
            Npy.write(folder.resolve("F.npy"), r.fisher());
            Npy.write(folder.resolve("grad.npy"), r.gradient());
            Npy.write(folder.resolve("ngd.npy"), r.naturalGradientStep());
            if (r.generalizedInverse() != null) {
                Npy.write(folder.resolve("Fg.npy"), r.generalizedInverse());
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("P = %d parameters, M = %d examples, mean loss %.6g; wrote F.npy, grad.npy, ngd.npy%s to %s%n",
                net.parameterCount(), d.size(), r.loss(), r.generalizedInverse() != null ? ", Fg.npy" : "", out);
        w.flush();
        return 0;
    }
}
