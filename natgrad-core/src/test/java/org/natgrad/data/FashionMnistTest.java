package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.io.FileFormatException;

class FashionMnistTest {
    @TempDir
    Path dir;

    private static double[] pixels(int images, int seed) {
        double[] v = new double[images * 784];
        for (int k = 0; k < v.length; k++) {
            v[k] = (k * 31 + seed) % 256;
        }
        return v;
    }

    private Path fakeSet(Path d, int nTrain, int nTest) throws IOException {
        Files.createDirectories(d);
        Files.write(d.resolve("train-images-idx3-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(Idx.UBYTE, new int[] {nTrain, 28, 28}, pixels(nTrain, 1))));
        double[] trainLabels = new double[nTrain];
        for (int k = 0; k < nTrain; k++) {
            trainLabels[k] = (k * 7) % 10;
        }
        Files.write(d.resolve("train-labels-idx1-ubyte"), IdxTest.idx(Idx.UBYTE, new int[] {nTrain}, trainLabels));
        Files.write(d.resolve("t10k-images-idx3-ubyte"),
                IdxTest.idx(Idx.UBYTE, new int[] {nTest, 28, 28}, pixels(nTest, 2)));
        Files.write(d.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(Idx.UBYTE, new int[] {nTest}, new double[nTest])));
        return d;
    }

    @Test
    void loadsPlainAndGzippedFilesFromADataFolder() throws IOException {
        Path d = fakeSet(dir.resolve("fashion-mnist"), 5, 2);
        assertEquals(Optional.of(d), FashionMnist.locate(dir));
        assertEquals(Optional.of(d), FashionMnist.locate(d));
        FashionMnist.Split s = FashionMnist.load(d);
        assertEquals(784, s.train().inputSize());
        assertEquals(5, s.train().size());
        assertEquals(2, s.test().size());
        assertArrayEquals(new int[] {0, 7, 4, 1, 8}, s.trainLabels());
        assertEquals(1.0, s.train().targets().get(7, 1));
        // train image 3, pixel 100: flat index 3*784+100
        assertEquals(((3 * 784 + 100) * 31 + 1) % 256 / 255.0, s.train().inputs().get(100, 3), 0.0);
    }

    @Test
    void mismatchedCountsAndBadLabelsAreNamed() throws IOException {
        Path d = fakeSet(dir.resolve("bad"), 3, 2);
        Files.write(d.resolve("train-labels-idx1-ubyte"), IdxTest.idx(Idx.UBYTE, new int[] {2}, 1, 2));
        FileFormatException e = assertThrows(FileFormatException.class, () -> FashionMnist.load(d));
        assertTrue(e.getMessage().contains("2 labels but") && e.getMessage().contains("3 images"), e.getMessage());
        Files.write(d.resolve("train-labels-idx1-ubyte"), IdxTest.idx(Idx.UBYTE, new int[] {3}, 1, 12, 2));
        FileFormatException l = assertThrows(FileFormatException.class, () -> FashionMnist.load(d));
        assertTrue(l.getMessage().contains("label 12 of example 1") && l.offset() == 9, l.getMessage());
    }

    @Test
    void theDebianPackageHoldsSixtyAndTenThousandBalancedImages() throws IOException {
        Optional<Path> d = FashionMnist.locate(null);
        assumeTrue(d.isPresent(), "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist): skipping");
        FashionMnist.Split s = FashionMnist.load(d.get());
        assertEquals(60000, s.train().size());
        assertEquals(10000, s.test().size());
        int[] perClass = new int[10];
        for (int l : s.trainLabels()) {
            perClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass[c]);
        }
        // values below computed independently with Python (gzip + numpy.frombuffer)
        assertArrayEquals(new int[] {9, 0, 0, 3, 0}, java.util.Arrays.copyOf(s.trainLabels(), 5));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, java.util.Arrays.copyOf(s.testLabels(), 5));
        double sum0 = 0;
        for (int p = 0; p < 784; p++) {
            sum0 += s.train().inputs().get(p, 0);
        }
        assertEquals(76247 / 255.0, sum0, 1e-9);
        assertEquals(222 / 255.0, s.train().inputs().get(350, 0), 0.0);
        assertEquals(115 / 255.0, s.test().inputs().get(350, 0), 0.0);
        double total = 0;
        for (double v : s.test().inputs().data()) {
            assertTrue(v >= 0 && v <= 1);
            total += v;
        }
        assertEquals(573469082 / 255.0, total, 1e-3);
    }
}
