package org.natgrad.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.natgrad.io.FileFormatException;
import org.natgrad.linalg.Matrix;

/**
 * Fashion-MNIST (Zalando; 60 000 training and 10 000 test 28x28 grey images, 10 classes) from its
 * four IDX files {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or with {@code .gz}.
 * The Debian package {@code dataset-fashion-mnist} installs them gzipped in
 * {@value #DEBIAN_DIR}. Nothing is downloaded.
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    /** The ten class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String[] STEMS = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private FashionMnist() {
    }

    /**
     * The training and test sets: inputs 784 x N in [0, 1] (pixel p = 28·row + col of the image
     * is input row p), targets one-hot 10 x N, and the integer labels.
     */
    public record Split(Dataset train, Dataset test, int[] trainLabels, int[] testLabels) {
    }

    /**
     * The folder holding the four files: {@code dataDir} itself or {@code dataDir/fashion-mnist}
     * if dataDir is given (and nothing else then), otherwise {@value #DEBIAN_DIR}. Empty if none has all four, and
     * empty without a dataDir while {@link DataPackages#hidden()}.
     */
    public static Optional<Path> locate(Path dataDirOrNull) {
        if (dataDirOrNull == null && DataPackages.hidden()) { // the installed packages are hidden
            return Optional.empty();
        }
        for (Path p : candidates(dataDirOrNull)) {
            if (hasAll(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The folders {@link #locate} tries, in order. */
    public static List<Path> candidates(Path dataDirOrNull) {
        List<Path> c = new ArrayList<>();
        if (dataDirOrNull != null) { // an explicit folder is the only place looked at
            c.add(dataDirOrNull);
            c.add(dataDirOrNull.resolve("fashion-mnist"));
            return c;
        }
        c.add(Path.of(DEBIAN_DIR));
        return c;
    }

    private static boolean hasAll(Path dir) {
        for (String s : STEMS) {
            if (file(dir, s).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Path> file(Path dir, String stem) {
        for (String name : new String[] {stem, stem + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Loads both sets from the folder {@link #locate} found (or any folder with the four files). */
    public static Split load(Path dir) throws IOException {
        Path[] f = new Path[4];
        for (int k = 0; k < 4; k++) {
            final int kk = k;
            f[k] = file(dir, STEMS[k]).orElseThrow(() -> new java.io.FileNotFoundException(
                    "Fashion-MNIST: no " + STEMS[kk] + "[.gz] in " + dir
                            + " (install with: apt-get install dataset-fashion-mnist)"));
        }
        Matrix trainX = Idx.images(f[0]);
        int[] trainY = Idx.labels(f[1]);
        Matrix testX = Idx.images(f[2]);
        int[] testY = Idx.labels(f[3]);
        return new Split(dataset(trainX, trainY, f[0], f[1]), dataset(testX, testY, f[2], f[3]), trainY, testY);
    }

    private static Dataset dataset(Matrix x, int[] y, Path images, Path labels) throws FileFormatException {
        if (x.rows() != 784) {
            throw new FileFormatException(images.toString(), 4, "expected 28x28 images (784 pixels), found "
                    + x.rows() + " values per image");
        }
        if (x.cols() != y.length) {
            throw new FileFormatException(labels.toString(), 4, y.length + " labels but " + images + " holds "
                    + x.cols() + " images");
        }
        for (int k = 0; k < y.length; k++) {
            if (y[k] < 0 || y[k] > 9) {
                throw new FileFormatException(labels.toString(), 8 + k, "label " + y[k] + " of example " + k
                        + " is outside 0..9");
            }
        }
        return new Dataset(x, Labels.oneHot(y, 10));
    }
}
