package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
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
import org.natgrad.likelihood.Gaussian;
import org.natgrad.linalg.Inverses;
import org.natgrad.linalg.MatOps;
import org.natgrad.linalg.Matrix;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Init;
import org.natgrad.nn.Network;
import org.natgrad.nn.ParamVector;
import org.natgrad.statistics.Gradients;
import org.natgrad.random.Rng;
import picocli.CommandLine;

class FisherCommandTest {

    static Matrix gaussian(int r, int c, Rng rng) {
        Matrix m = new Matrix(r, c);
        rng.fillGaussian(m.data());
        return m;
    }

    static int run(StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new FisherCommand());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    static Matrix read(Path p) throws Exception {
        return Npy.read(p).toMatrix();
    }

    @Test
    void writesTheExactFisherAndGradientOfAClassifier(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(1);
        Network net = Network.dense(List.of(3, 4, 3), Activation.TANH, Activation.IDENTITY, true, new Init.Gaussian(1), 2);
        Matrix x = gaussian(3, 7, rng);
        Matrix y = new Matrix(3, 7);
        for (int m = 0; m < 7; m++) {
            y.set(rng.nextInt(3), m, 1);
        }
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(x, y));
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "--model", dir.resolve("m.npz").toString(), "--data", dir.resolve("d.npz").toString(),
                "--activation", "tanh", "--likelihood", "categorical", "--out", dir.resolve("out").toString()), err.toString());
        // independent references from first principles: central finite differences (h = 1e-5) of the
        // network's outputs; softmax, cross-entropy (mean over the 7 columns) and diag(p) - p p^T written out
        double[] theta = net.parameters().toFlat();
        int pc = theta.length;
        double h = 1e-5;
        Matrix[] jac = new Matrix[7];
        for (int m = 0; m < 7; m++) {
            jac[m] = new Matrix(3, pc);
        }
        double[] gFd = new double[pc];
        Network probe = net.copy();
        for (int k = 0; k < pc; k++) {
            double[] t = theta.clone();
            t[k] = theta[k] + h;
            probe.parameters().setFromFlat(t);
            Matrix plus = probe.predict(x);
            t[k] = theta[k] - h;
            probe.parameters().setFromFlat(t);
            Matrix minus = probe.predict(x);
            gFd[k] = (crossEntropy(plus, y) - crossEntropy(minus, y)) / (2 * h);
            for (int m = 0; m < 7; m++) {
                for (int i = 0; i < 3; i++) {
                    jac[m].set(i, k, (plus.get(i, m) - minus.get(i, m)) / (2 * h));
                }
            }
        }
        Matrix out = net.predict(x);
        Matrix fRef = new Matrix(pc, pc);
        for (int m = 0; m < 7; m++) {
            double[] p = softmax(out, m);
            for (int a = 0; a < pc; a++) {
                for (int b = 0; b < pc; b++) {
                    double v = 0;
                    for (int i = 0; i < 3; i++) {
                        for (int l = 0; l < 3; l++) {
                            v += jac[m].get(i, a) * ((i == l ? p[i] : 0) - p[i] * p[l]) * jac[m].get(l, b);
                        }
                    }
                    fRef.add(a, b, v / 7);
                }
            }
        }
        Matrix f = read(dir.resolve("out/F.npy"));
        assertEquals(0, MatOps.relativeError(f, fRef), 1e-8);
        assertEquals(0, MatOps.relativeError(read(dir.resolve("out/grad.npy")), new Matrix(pc, 1, gFd)), 1e-7);
        assertTrue(Files.exists(dir.resolve("out/ngd.npy")));
        assertFalse(Files.exists(dir.resolve("out/Fg.npy")), "Eq. 23 only for square deep linear Gaussian nets");
    }

    @Test
    void ngdIsTheDenseKroneckerPseudoInverseStepOfALinearNet(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(3);
        Network net = Network.dense(List.of(3, 4, 2), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 4);
        Matrix x = gaussian(3, 9, rng);
        Matrix y = gaussian(2, 9, rng);
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(x, y));
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "--model", dir.resolve("m.npz").toString(), "--data", dir.resolve("d.npz").toString(),
                "--activation", "identity", "--out", dir.resolve("o").toString()), err.toString());
        // reference: Λ_1 = X̄0 X̄0^T/M, Λ_2 = X̄1 X̄1^T/M, Λ̃_1 = W2^T W2, Λ̃_2 = I (Σ̃ = I),
        // step_i = −(1/2) pinv(Λ_i ⊗ Λ̃_i) vec([G_i, g_i])
        Matrix h = MatOps.multiply(net.layer(0).weights(), x);
        for (int m = 0; m < 9; m++) {
            for (int r = 0; r < 4; r++) {
                h.add(r, m, net.layer(0).bias().get(r, 0));
            }
        }
        Matrix[] xb = {withOnes(x), withOnes(h)};
        Matrix[] lt = {MatOps.multiplyTransA(net.layer(1).weights(), net.layer(1).weights()), Matrix.identity(2)};
        ParamVector g = Gradients.of(net, Gaussian.unit(), new org.natgrad.nn.Batch(x, y)).gradient();
        double[] flat = g.toFlat();
        double[] ref = new double[flat.length];
        int off = 0;
        for (int i = 0; i < 2; i++) {
            Matrix lam = MatOps.scaleInPlace(1.0 / 9, MatOps.multiplyTransB(xb[i], xb[i]));
            Matrix pinv = Inverses.pseudoInverse(MatOps.kron(lam, lt[i]), 1e-10);
            int size = g.layerSize(i);
            double[] gi = java.util.Arrays.copyOfRange(flat, off, off + size);
            double[] si = MatOps.gemv(-0.5, pinv, false, gi, 0, null);
            System.arraycopy(si, 0, ref, off, size);
            off += size;
        }
        assertEquals(0, MatOps.relativeError(read(dir.resolve("o/ngd.npy")), new Matrix(ref.length, 1, ref)), 1e-8);
    }

    static double[] softmax(Matrix f, int m) {
        double max = Math.max(f.get(0, m), Math.max(f.get(1, m), f.get(2, m)));
        double[] p = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            p[i] = Math.exp(f.get(i, m) - max);
            sum += p[i];
        }
        for (int i = 0; i < 3; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** -(1/M) Σ_m Σ_k y_km log softmax(f_m)_k. */
    static double crossEntropy(Matrix f, Matrix y) {
        double s = 0;
        for (int m = 0; m < f.cols(); m++) {
            double[] p = softmax(f, m);
            for (int i = 0; i < 3; i++) {
                s -= y.get(i, m) * Math.log(p[i]);
            }
        }
        return s / f.cols();
    }

    static Matrix withOnes(Matrix a) {
        Matrix b = new Matrix(a.rows() + 1, a.cols());
        for (int m = 0; m < a.cols(); m++) {
            for (int r = 0; r < a.rows(); r++) {
                b.set(r, m, a.get(r, m));
            }
            b.set(a.rows(), m, 1);
        }
        return b;
    }

    @Test
    void eq23InverseOfASquareDeepLinearNet(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(5);
        Network net = Network.dense(List.of(2, 2, 2), Activation.IDENTITY, Activation.IDENTITY, false, new Init.Gaussian(1), 6);
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(gaussian(2, 8, rng), gaussian(2, 8, rng)));
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "--model", dir.resolve("m.npz").toString(), "--data", dir.resolve("d.npz").toString(),
                "--activation", "identity", "--likelihood", "gaussian", "--out", dir.resolve("o").toString()), err.toString());
        Matrix f = read(dir.resolve("o/F.npy"));
        Matrix fg = read(dir.resolve("o/Fg.npy"));
        assertEquals(0, MatOps.relativeError(MatOps.multiply(MatOps.multiply(f, fg), f), f), 1e-8);
        Matrix step = MatOps.scaleInPlace(-1, MatOps.multiply(fg, read(dir.resolve("o/grad.npy"))));
        assertEquals(0, MatOps.relativeError(step, read(dir.resolve("o/ngd.npy"))), 1e-8);
    }

    @Test
    void incompatibleShapesNameBoth(@TempDir Path dir) throws Exception {
        Network net = Network.dense(List.of(3, 2), Activation.IDENTITY, Activation.IDENTITY, true, new Init.Gaussian(1), 7);
        ModelFiles.save(dir.resolve("m.npz"), net);
        DatasetFiles.write(dir.resolve("d.npz"), new Dataset(new Matrix(4, 5), new Matrix(2, 5)));
        StringWriter err = new StringWriter();
        int code = run(err, "--model", dir.resolve("m.npz").toString(), "--data", dir.resolve("d.npz").toString(),
                "--activation", "identity", "--out", dir.resolve("o").toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("[3, 2]") && err.toString().contains("(5, 4)"), err.toString());
        StringWriter err2 = new StringWriter();
        assertNotEquals(0, run(err2, "--model", "m.npz", "--data", "d.npz", "--activation", "swish", "--out", "o"));
        assertTrue(err2.toString().contains("swish"), err2.toString());
    }
}
