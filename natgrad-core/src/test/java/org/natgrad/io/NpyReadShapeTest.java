package org.natgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link Npy#readShape}: the header's shape, with the array's data left unread in the stream. */
class NpyReadShapeTest {
    @Test
    void readsTheShapeAndStopsBeforeTheData() throws IOException {
        int[] shape = {7, 3};
        byte[] file = Npy.toBytes(new NpyArray(shape, new double[21]));
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        assertArrayEquals(shape, Npy.readShape(in, "a.npy"));
        assertEquals(21 * 8, in.available(), "the 21 float64 values stay unread");
    }

    @Test
    void aBadMagicIsNamed() {
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> Npy.readShape(new ByteArrayInputStream("PK not numpy".getBytes()), "b.npy"));
        assertTrue(e.getMessage().startsWith("b.npy") && e.getMessage().contains("bad magic"), e.getMessage());
    }
}
