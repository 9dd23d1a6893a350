package org.natgrad.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DagTest {
    private static final UnitType B = UnitType.BINARY;

    @Test
    void sevenUnitNetworkHas18Parameters() {
        Dag d = Dag.sevenUnit(B);
        assertEquals(7, d.size());
        assertEquals(18, d.parameterCount()); // 1+1+3+3+3+3+4
        assertArrayEquals(new int[] {4, 5, 6}, d.visible());
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.hidden());
        assertArrayEquals(new int[] {2, 3, 6}, d.children(0));
        int[] order = d.topologicalOrder();
        int[] pos = new int[7];
        for (int i = 0; i < 7; i++) {
            pos[order[i]] = i;
        }
        for (int r = 0; r < 7; r++) {
            for (int p : d.parents(r)) {
                assertTrue(pos[p] < pos[r], "parent " + p + " must come before " + r);
            }
        }
    }

    @Test
    void layeredNetworkCountsBlocks() {
        Dag d = Dag.layered(B, 2, 6, 9);
        assertEquals(17, d.size());
        assertEquals(2 * 1 + 6 * 3 + 9 * 7, d.parameterCount());
        assertEquals(9, d.visible().length);
        assertEquals(2 + 6 * 3, d.offset(8)); // first unit of the last layer
    }

    @Test
    void cycleIsNamed() {
        int[][] pa = {{2}, {0}, {1}, {}};
        var e = assertThrows(IllegalArgumentException.class, () -> new Dag(Dag.allOf(B, 4), pa, new int[] {3}));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertTrue(e.getMessage().contains("unit 0") && e.getMessage().contains("unit 1") && e.getMessage().contains("unit 2"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("unit 3"), e.getMessage());
    }

    @Test
    void selfLoopParentOutOfRangeAndRepeatsAreRefused() {
        var self = assertThrows(IllegalArgumentException.class,
                () -> new Dag(Dag.allOf(B, 2), new int[][] {{}, {1}}, new int[] {1}));
        assertTrue(self.getMessage().contains("own parent"), self.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> new Dag(Dag.allOf(B, 2), new int[][] {{}, {5}}, new int[] {1}));
        assertTrue(range.getMessage().contains("parent index 5 out of range"), range.getMessage());
        var twice = assertThrows(IllegalArgumentException.class,
                () -> new Dag(Dag.allOf(B, 2), new int[][] {{}, {0, 0}}, new int[] {1}));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void emptyOrInvalidVisibleSetIsRefused() {
        var empty = assertThrows(IllegalArgumentException.class,
                () -> new Dag(Dag.allOf(B, 2), new int[][] {{}, {0}}, new int[0]));
        assertTrue(empty.getMessage().contains("visible set is empty"), empty.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> new Dag(Dag.allOf(B, 2), new int[][] {{}, {0}}, new int[] {2}));
        assertTrue(range.getMessage().contains("visible unit index 2"), range.getMessage());
    }

    @Test
    void enumerationBeyondTheLimitIsRefused() {
        Dag big = Dag.layered(B, 5, 8, 8); // 21 units
        var e = assertThrows(IllegalArgumentException.class, () -> Enumeration.of(new BayesNet(big)));
        assertTrue(e.getMessage().contains("21 units") && e.getMessage().contains("limit is 20"), e.getMessage());
    }
}
