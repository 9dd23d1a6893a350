package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.data.Dataset;
import org.natgrad.data.DatasetFiles;
import org.natgrad.io.ModelFiles;
import org.natgrad.io.Npy;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.linalg.SymmetricEigen;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.random.Rng;

/** {@code natgrad fisher --matrix-free}: against the dense F.npy on a small model, and beyond the dense limit. */
class FisherMatrixFreeCommandTest {

    private static String[] args(Path dir, String likelihood, String activation, String out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("--model", dir.resolve("m.npz").toString(), "--data",
                dir.resolve("d.npz").toString(), "--activation", activation, "--likelihood", likelihood, "--out",
                dir.resolve(out).toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /**
     * A 3-4-3 tanh classifier (P = 31), 7 examples: diag.npy is diag(F.npy) (1e-12 tr F), Fv.npy is F V
     * (1e-12 relative), grad.npy is the dense run's, and the 3 eigenvalues from 29 Lanczos steps are the
     * dense ones (1e-8 λ_max) with eigenvectors up to sign (1e-6).
     */
    @Test
    void matchesTheDenseExport(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(1);
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        Matrix x = FisherCommandTest.gaussian(3, 7, rng);
        Matrix y = new Matrix(3, 7);
        for (int m = 0; m < 7; m++) {
            y.set(rng.nextInt(3), m, 1);
        }
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(x, y));
        Matrix v = FisherCommandTest.gaussian(31, 2, rng);
        Npy.write(dir.resolve("v.npy"), v);
        StringWriter err = new StringWriter();
        assertEquals(0, FisherCommandTest.run(err, args(dir, "categorical", "tanh", "dense")), err.toString());
        assertEquals(0, FisherCommandTest.run(err, args(dir, "categorical", "tanh", "mf", "--matrix-free", "--top", "3",
                "--vectors", dir.resolve("v.npy").toString())), err.toString());
        assertFalse(Files.exists(dir.resolve("mf/F.npy")));
        Matrix f = FisherCommandTest.read(dir.resolve("dense/F.npy"));
        Matrix diag = FisherCommandTest.read(dir.resolve("mf/diag.npy"));
        for (int i = 0; i < 31; i++) {
            assertEquals(f.get(i, i), diag.get(i, 0), 1e-12 * f.trace());
        }
        assertEquals(0, MatOps.relativeError(FisherCommandTest.read(dir.resolve("mf/Fv.npy")), MatOps.multiply(f, v)), 1e-12);
        assertEquals(0, MatOps.relativeError(FisherCommandTest.read(dir.resolve("mf/grad.npy")),
                FisherCommandTest.read(dir.resolve("dense/grad.npy"))), 1e-14);
        SymmetricEigen e = SymmetricEigen.decompose(f).orElseThrow();
        Matrix values = FisherCommandTest.read(dir.resolve("mf/eigenvalues.npy"));
        Matrix vectors = FisherCommandTest.read(dir.resolve("mf/eigenvectors.npy"));
        assertEquals(3, values.rows());
        assertEquals(31, vectors.rows());
        assertEquals(3, vectors.cols());
        double top = e.values()[30];
        for (int j = 0; j < 3; j++) {
            assertEquals(e.values()[30 - j], values.get(j, 0), 1e-8 * top);
            double cos = Math.abs(MatOps.dot(new Matrix(31, 1, e.vectors().column(30 - j)),
                    new Matrix(31, 1, vectors.column(j))));
            assertEquals(1, cos, 1e-6);
        }
    }

    /**
     * A 10-400-3 tanh network (P = 5603 > 4096) with a Gaussian output: the command no longer refuses it;
     * the top 2 eigenpairs have small residuals, λ_1 ≥ λ_2 > 0, Σ diag ≥ λ_1 + λ_2 (the trace bounds the
     * top eigenvalues of a PSD matrix), and F u_1 from --vectors is λ_1 u_1 within the residual.
     */
    @Test
    void exportsBeyondTheDenseLimit(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(5);
        Network net = Network.dense(List.of(10, 400, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 6);
        assertEquals(5603, net.parameterCount());
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(FisherCommandTest.gaussian(10, 30, rng),
                FisherCommandTest.gaussian(3, 30, rng)));
        StringWriter err = new StringWriter();
        assertEquals(0, FisherCommandTest.run(err, args(dir, "gaussian", "tanh", "a", "--top", "2")), err.toString());
        assertFalse(Files.exists(dir.resolve("a/F.npy")));
        Matrix values = FisherCommandTest.read(dir.resolve("a/eigenvalues.npy"));
        Matrix residuals = FisherCommandTest.read(dir.resolve("a/eigen_residuals.npy"));
        Matrix vectors = FisherCommandTest.read(dir.resolve("a/eigenvectors.npy"));
        double l1 = values.get(0, 0);
        assertTrue(l1 >= values.get(1, 0) && values.get(1, 0) > 0);
        assertTrue(residuals.get(0, 0) < 1e-6 * l1 && residuals.get(1, 0) < 1e-6 * l1, residuals.toString());
        Matrix diag = FisherCommandTest.read(dir.resolve("a/diag.npy"));
        double trace = 0;
        for (int i = 0; i < diag.rows(); i++) {
            assertTrue(diag.get(i, 0) >= 0);
            trace += diag.get(i, 0);
        }
        assertTrue(trace >= l1 + values.get(1, 0));
        Npy.write(dir.resolve("u.npy"), vectors.column(0));
        assertEquals(0, FisherCommandTest.run(err, args(dir, "gaussian", "tanh", "b", "--top", "0", "--vectors",
                dir.resolve("u.npy").toString())), err.toString());
        Matrix fu = FisherCommandTest.read(dir.resolve("b/Fv.npy"));
        double dev = 0;
        for (int i = 0; i < fu.rows(); i++) {
            dev += Math.pow(fu.get(i, 0) - l1 * vectors.get(i, 0), 2);
        }
        assertTrue(Math.sqrt(dev) <= residuals.get(0, 0) + 1e-12 * l1, "‖F u − λ u‖ = " + Math.sqrt(dev));
        assertFalse(Files.exists(dir.resolve("b/eigenvalues.npy")));
    }

    /** m.npz: a 3-4-3 tanh network (P = 31); d.npz: 5 Gaussian inputs and targets. */
    private static void saveSmallRegression(Path dir) throws Exception {
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        Rng rng = new Rng(2);
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(FisherCommandTest.gaussian(3, 5, rng),
                FisherCommandTest.gaussian(3, 5, rng)));
    }

    /** Under the root command the global --seed (after the command) draws the Lanczos start vector. */
    @Test
    void runsUnderTheRootCommandWithTheGlobalSeed(@TempDir Path dir) throws Exception {
        saveSmallRegression(dir);
        picocli.CommandLine root = NatgradCommand.commandLine();
        StringWriter err = new StringWriter();
        root.setErr(new java.io.PrintWriter(err));
        root.setOut(new java.io.PrintWriter(new StringWriter()));
        List<String> a = new java.util.ArrayList<>(List.of("fisher"));
        a.addAll(List.of(args(dir, "gaussian", "tanh", "o", "--matrix-free", "--top", "2", "--seed", "3")));
        assertEquals(0, root.execute(a.toArray(String[]::new)), err.toString());
        assertTrue(Files.exists(dir.resolve("o/eigenvalues.npy")));
    }

    @Test
    void badVectorsAreAUsageError(@TempDir Path dir) throws Exception {
        saveSmallRegression(dir);
        Npy.write(dir.resolve("v.npy"), new double[7]);
        StringWriter err = new StringWriter();
        int code = FisherCommandTest.run(err, args(dir, "gaussian", "tanh", "o", "--matrix-free", "--vectors",
                dir.resolve("v.npy").toString()));
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("shape (7,)") && err.toString().contains("P = 31"), err.toString());
        StringWriter err2 = new StringWriter();
        assertNotEquals(0, FisherCommandTest.run(err2, args(dir, "gaussian", "tanh", "o2", "--vectors",
                dir.resolve("v.npy").toString())));
        assertTrue(err2.toString().contains("--vectors needs --matrix-free"), err2.toString());
    }
}
