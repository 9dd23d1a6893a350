package org.natgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.natgrad.curvature.DenseFisher;
import org.natgrad.curvature.FisherReport;
import org.natgrad.data.Dataset;
import org.natgrad.experiment.RunFolder;
import org.natgrad.io.Npy;
import org.natgrad.io.NpyArray;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Network;
import picocli.CommandLine;
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
 * {@link FisherReport}), for networks of at most {@link DenseFisher#MAX_PARAMETERS} parameters. With
 * {@code --matrix-free} (automatic beyond that limit) it writes, for any size, the gradient, the
 * exact diagonal, the top eigenpairs (Lanczos) and products G v with given vectors instead
 * ({@link MatrixFreeFisherExport}).
 */
@Command(name = "fisher", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exact Fisher (F.npy, P x P), gradient of the mean loss (grad.npy), Eq. 10 step to add "
                + "(ngd.npy: alpha 1, no damping, pseudo-inverses, exact expectations over the model's outputs) and, "
                + "for a bias-free square deep linear net with a Gaussian output, the Eq. 23 inverse (Fg.npy).",
                "With --matrix-free (automatic beyond " + DenseFisher.MAX_PARAMETERS + " parameters), for any size and "
                + "without forming F: grad.npy, the exact diagonal diag.npy, the top eigenpairs eigenvalues.npy, "
                + "eigenvectors.npy (P x k) and eigen_residuals.npy (Lanczos), and Fv.npy = F V for --vectors V.",
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

    @Option(names = "--matrix-free", description = "Write the matrix-free quantities (grad, diag, top eigenpairs, "
            + "F V) instead of the dense F.npy, ngd.npy and Fg.npy; automatic beyond the dense limit.")
    boolean matrixFree;

    @Option(names = "--top", defaultValue = "10", paramLabel = "K",
            description = "Matrix-free: the number of top eigenpairs to write, 0 for none (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--lanczos-steps", defaultValue = "0", paramLabel = "S",
            description = "Matrix-free: Lanczos steps (products) for the eigenpairs; 0 means min(P, 3K + 20) "
                    + "(default: ${DEFAULT-VALUE}).")
    int lanczosSteps;

    @Option(names = "--vectors", paramLabel = "FILE", description = "Matrix-free: a .npy of shape (P,) or (P, n); "
            + "writes Fv.npy = F V of the same shape.")
    Path vectors;

    @Option(names = "--force", description = "Write into OUT even if it is not empty: its run files are replaced "
            + "as a set (only in a natgrad run folder).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Likelihood lik = Commands.parse(spec, "--likelihood", () -> Likelihood.parse(likelihood));
        ModelAndData.Loaded loaded = io.load();
        Network net = loaded.network();
        Dataset d = loaded.data();
        if (top < 0 || lanczosSteps < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top and --lanczos-steps must be >= 0, got "
                    + top + " and " + lanczosSteps);
        }
        if (matrixFree || net.parameterCount() > DenseFisher.MAX_PARAMETERS) {
            return matrixFree(net, lik, d);
        }
        if (vectors != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vectors needs --matrix-free");
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

    private int matrixFree(Network net, Likelihood lik, Dataset d) throws IOException {
        NpyArray v = vectors == null ? null : Npy.read(vectors);
        if (v != null) {
            Commands.parse(spec, "--vectors", () -> MatrixFreeFisherExport.checkVectors(v, net.parameterCount()));
        }
        List<String> files;
        try (RunFolder folder = RunFolder.create(out, force)) {
            folder.writeProvenance(0, Commands.argv(spec, "fisher"));
            files = MatrixFreeFisherExport.write(folder, net, lik, d.all(), top, lanczosSteps, SeedOption.of(spec), v);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("P = %d parameters, M = %d examples (matrix-free); wrote %s to %s%n", net.parameterCount(), d.size(),
                String.join(", ", files), out);
        w.flush();
        return 0;
    }
}
