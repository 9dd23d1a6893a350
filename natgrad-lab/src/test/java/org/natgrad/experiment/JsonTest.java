package org.natgrad.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.natgrad.nn.Activation;

class JsonTest {

    record Sample(String name, double finite, double nan, Double boxedInf, double[] values, Path where,
                  Activation activation, List<Integer> widths) {
    }

    @Test
    void nonFiniteNumbersBecomeNullAndRecordsKeepTheirComponents(@TempDir Path dir) throws Exception {
        Sample s = new Sample("a,b", 0.1, Double.NaN, Double.NEGATIVE_INFINITY,
                new double[] {1.5, Double.POSITIVE_INFINITY, Double.NaN, -2}, Path.of("x", "y.npz"), Activation.TANH,
                List.of(20, 30));
        Path f = dir.resolve("s.json");
        Json.write(f, s);
        JsonNode n = Json.readTree(f);
        assertEquals("a,b", n.get("name").asText());
        assertEquals(0.1, n.get("finite").doubleValue(), 0.0);
        assertTrue(n.get("nan").isNull());
        assertTrue(n.get("boxedInf").isNull());
        assertEquals(4, n.get("values").size());
        assertEquals(1.5, n.get("values").get(0).doubleValue(), 0.0);
        assertTrue(n.get("values").get(1).isNull());
        assertTrue(n.get("values").get(2).isNull());
        assertEquals(-2.0, n.get("values").get(3).doubleValue(), 0.0);
        assertEquals(Path.of("x", "y.npz").toString(), n.get("where").asText());
        assertEquals("tanh", n.get("activation").asText());
        assertEquals(30, n.get("widths").get(1).intValue());
        String text = Files.readString(f);
        assertTrue(text.contains("\n  \""), "pretty printed: " + text);
        assertTrue(!text.contains("NaN") && !text.contains("Infinity"), text);
    }

    @Test
    void mapsKeepInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", Double.NaN);
        String t = Json.toJson(m);
        assertTrue(t.indexOf("\"z\"") < t.indexOf("\"a\""), t);
        assertTrue(t.contains("\"a\" : null"), t);
    }
}
