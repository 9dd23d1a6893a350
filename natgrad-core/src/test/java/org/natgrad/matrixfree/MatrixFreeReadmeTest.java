package org.natgrad.matrixfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.natgrad.likelihood.Categorical;
import org.natgrad.likelihood.Likelihood;
import org.natgrad.nn.Activation;
import org.natgrad.nn.Batch;
import org.natgrad.nn.Network;

/** The README's "Matrix-free curvature" snippet, line for line, on a small classifier. */
class MatrixFreeReadmeTest {

    @Test
    void theReadmeSnippetRuns() {
        Nets.Case k = Nets.make(new Categorical(), List.of(4, 8, 3), Activation.TANH, Activation.IDENTITY, true, 20, 3);
        Network net = k.net();
        Likelihood likelihood = k.likelihood();
        Batch batch = k.batch();
        long seed = 1;
        double[] v = Nets.gaussian(net.parameterCount(), 2);
        // --- README
        BatchCurvature c = BatchCurvature.of(net, likelihood, batch);
        double[] gv = c.ggn(v);                       // G v: forward-mode J v, F_out, one backward pass
        double[] hv = c.hessian(v);                   // H v: Pearlmutter's R-operator through the backward pass
        var x = ConjugateGradient.solve(c.ggnOperator(), c.gradient().toFlat(), 1e-3, 1e-10, 5000);
        var top = Lanczos.top(c.ggnOperator(), 10, 50, seed);                 // top eigenpairs + residuals
        var density = SpectralDensity.estimate(c.ggnOperator(), 10, 30, seed); // stochastic Lanczos quadrature
        var trace = TraceEstimator.hutchPlusPlus(c.ggnOperator(), 90, seed);   // also hutchinson, ...Diagonal
        // --- end
        assertEquals(v.length, gv.length);
        assertEquals(v.length, hv.length);
        assertTrue(x.converged());
        assertEquals(10, top.values().length);
        assertEquals(1, density.integrate(t -> 1), 1e-12);
        assertTrue(trace.value() > 0);
    }

    /** Every line between the markers above appears in the README (its "Matrix-free curvature" block). */
    @Test
    void theReadmeShowsTheSnippet() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("README.md"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "README.md not found");
        String readme = Files.readString(root.resolve("README.md"));
        String src = Files.readString(Path.of("src/test/java/org/natgrad/matrixfree/MatrixFreeReadmeTest.java"));
        String snippet = src.substring(src.indexOf("// --- README") + "// --- README".length(), src.indexOf("// --- end"));
        for (String line : snippet.strip().split("\n")) {
            assertTrue(readme.contains(line.strip()), "README lacks the snippet line: " + line.strip());
        }
    }
}
