package org.natgrad.bayes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The structure of a directed network of stochastic units: n units with a {@link UnitType}
 * each, a parent set pa(r) per unit (any DAG) and a non-empty set V of visible units; the
 * others are hidden. Immutable and validated on construction: a parent index out of range, a
 * unit that is its own parent, a repeated parent, a cycle, or an empty or invalid visible set
 * are refused with a message naming the problem.
 *
 * <p>Parameter layout: unit r owns the block θ_r = [bias, w_1, ..., w_k] of length
 * 1 + |pa(r)|, weights in the order of {@link #parents(int)}; blocks are stored one after the
 * other in unit order, starting at {@link #offset(int)}; {@link #parameterCount()} in all.
 */
public final class Dag {
    private final UnitType[] types;
    private final int[][] parents;
    private final int[] visible;
    private final boolean[] isVisible;
    private final int[] hidden;
    private final int[] order;
    private final int[] offsets;
    private final int[][] children;
    private volatile FamilyTables.Index familyIndex;

    /**
     * @param types   unit types, length n ≥ 1
     * @param parents parents[r] = indices of the parents of unit r (in [0, n)), length n
     * @param visible indices of the visible units (non-empty, distinct, in [0, n))
     */
    public Dag(UnitType[] types, int[][] parents, int[] visible) {
        int n = types.length;
        if (n == 0) {
            throw new IllegalArgumentException("Dag: a network needs at least one unit");
        }
        if (parents.length != n) {
            throw new IllegalArgumentException("Dag: " + n + " unit types but " + parents.length + " parent sets");
        }
        this.types = types.clone();
        for (int r = 0; r < n; r++) {
            if (types[r] == null) {
                throw new IllegalArgumentException("Dag: unit " + r + " has no type");
            }
        }
        this.parents = new int[n][];
        for (int r = 0; r < n; r++) {
            int[] pa = parents[r] == null ? new int[0] : parents[r].clone();
            for (int j = 0; j < pa.length; j++) {
                if (pa[j] < 0 || pa[j] >= n) {
                    throw new IllegalArgumentException("Dag: unit " + r + " has parent index " + pa[j]
                            + " out of range [0, " + n + ")");
                }
                if (pa[j] == r) {
                    throw new IllegalArgumentException("Dag: unit " + r + " is its own parent (a cycle of length 1)");
                }
                for (int i = 0; i < j; i++) {
                    if (pa[i] == pa[j]) {
                        throw new IllegalArgumentException("Dag: unit " + r + " lists parent " + pa[j] + " twice");
                    }
                }
            }
            this.parents[r] = pa;
        }
        if (visible == null || visible.length == 0) {
            throw new IllegalArgumentException("Dag: the visible set is empty; at least one unit must be visible");
        }
        this.isVisible = new boolean[n];
        for (int v : visible) {
            if (v < 0 || v >= n) {
                throw new IllegalArgumentException("Dag: visible unit index " + v + " out of range [0, " + n + ")");
            }
            if (isVisible[v]) {
                throw new IllegalArgumentException("Dag: visible unit " + v + " is listed twice");
            }
            isVisible[v] = true;
        }
        this.visible = visible.clone();
        Arrays.sort(this.visible);
        this.hidden = new int[n - visible.length];
        for (int r = 0, k = 0; r < n; r++) {
            if (!isVisible[r]) {
                hidden[k++] = r;
            }
        }
        this.children = new int[n][];
        int[] nc = new int[n];
        for (int r = 0; r < n; r++) {
            for (int p : this.parents[r]) {
                nc[p]++;
            }
        }
        for (int r = 0; r < n; r++) {
            children[r] = new int[nc[r]];
            nc[r] = 0;
        }
        for (int r = 0; r < n; r++) {
            for (int p : this.parents[r]) {
                children[p][nc[p]++] = r;
            }
        }
        this.order = computeOrder();
        this.offsets = new int[n + 1];
        for (int r = 0; r < n; r++) {
            offsets[r + 1] = offsets[r] + 1 + this.parents[r].length;
        }
    }

    /** Kahn's algorithm; on a cycle, finds one and names it. */
    private int[] computeOrder() {
        int n = types.length;
        int[] indeg = new int[n];
        for (int r = 0; r < n; r++) {
            indeg[r] = parents[r].length;
        }
        int[] out = new int[n];
        int head = 0;
        int tail = 0;
        for (int r = 0; r < n; r++) {
            if (indeg[r] == 0) {
                out[tail++] = r;
            }
        }
        while (head < tail) {
            int u = out[head++];
            for (int c : children[u]) {
                if (--indeg[c] == 0) {
                    out[tail++] = c;
                }
            }
        }
        if (tail < n) {
            throw new IllegalArgumentException("Dag: the parent sets contain a cycle: " + describeCycle(indeg));
        }
        return out;
    }

    /** Follows parent links among the units left with positive in-degree until one repeats. */
    private String describeCycle(int[] indeg) {
        int start = -1;
        for (int r = 0; r < indeg.length; r++) {
            if (indeg[r] > 0) {
                start = r;
                break;
            }
        }
        List<Integer> path = new ArrayList<>();
        int[] seenAt = new int[indeg.length];
        Arrays.fill(seenAt, -1);
        int u = start;
        while (seenAt[u] < 0) {
            seenAt[u] = path.size();
            path.add(u);
            int next = -1;
            for (int p : parents[u]) {
                if (indeg[p] > 0) {
                    next = p;
                    break;
                }
            }
            u = next;
        }
        List<Integer> cyc = new ArrayList<>(path.subList(seenAt[u], path.size()));
        java.util.Collections.reverse(cyc);
        StringBuilder sb = new StringBuilder();
        for (int x : cyc) {
            sb.append("unit ").append(x).append(" -> ");
        }
        sb.append("unit ").append(cyc.get(0));
        return sb.toString();
    }

    /** All units of one type. */
    public static UnitType[] allOf(UnitType t, int n) {
        UnitType[] a = new UnitType[n];
        Arrays.fill(a, t);
        return a;
    }

    /**
     * A layered network, top layer first: every unit of layer l+1 has all units of layer l as
     * parents; the last layer is visible. E.g. {@code layered(BINARY, 2, 6, 9)}.
     */
    public static Dag layered(UnitType type, int... widths) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("Dag.layered: need at least one layer");
        }
        int n = 0;
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("Dag.layered: layer widths must be >= 1, got " + Arrays.toString(widths));
            }
            n += w;
        }
        int[][] pa = new int[n][];
        int start = 0;
        int prevStart = 0;
        for (int l = 0; l < widths.length; l++) {
            for (int i = 0; i < widths[l]; i++) {
                if (l == 0) {
                    pa[start + i] = new int[0];
                } else {
                    int[] p = new int[widths[l - 1]];
                    for (int j = 0; j < p.length; j++) {
                        p[j] = prevStart + j;
                    }
                    pa[start + i] = p;
                }
            }
            prevStart = start;
            start += widths[l];
        }
        int last = widths[widths.length - 1];
        int[] vis = new int[last];
        for (int i = 0; i < last; i++) {
            vis[i] = n - last + i;
        }
        return new Dag(allOf(type, n), pa, vis);
    }

    /**
     * The seven-unit network of math.md §5.5: hidden 0, 1 (roots); hidden 2, 3 with parents
     * {0, 1}; visible 4, 5 with parents {2, 3}; visible 6 with parents {2, 3, 0}. 18 parameters.
     */
    public static Dag sevenUnit(UnitType type) {
        int[][] pa = {{}, {}, {0, 1}, {0, 1}, {2, 3}, {2, 3}, {2, 3, 0}};
        return new Dag(allOf(type, 7), pa, new int[] {4, 5, 6});
    }

    /** Family-code lookup tables (built on first use; needs n ≤ Enumeration.MAX_UNITS). */
    FamilyTables.Index familyIndex() {
        FamilyTables.Index ix = familyIndex;
        if (ix == null) {
            Enumeration.requireEnumerable(this, "family tables");
            ix = new FamilyTables.Index(this);
            familyIndex = ix;
        }
        return ix;
    }

    /** Number of units n. */
    public int size() {
        return types.length;
    }

    public UnitType type(int r) {
        return types[r];
    }

    /** Parents of unit r (a copy). */
    public int[] parents(int r) {
        return parents[r].clone();
    }

    int[] parentsView(int r) {
        return parents[r];
    }

    /** Children of unit r (a copy). */
    public int[] children(int r) {
        return children[r].clone();
    }

    /** Visible units, ascending (a copy). */
    public int[] visible() {
        return visible.clone();
    }

    int[] visibleView() {
        return visible;
    }

    /** Hidden units, ascending (a copy). */
    public int[] hidden() {
        return hidden.clone();
    }

    public boolean isVisible(int r) {
        return isVisible[r];
    }

    /** A topological order: every unit after its parents (a copy). */
    public int[] topologicalOrder() {
        return order.clone();
    }

    int[] orderView() {
        return order;
    }

    /** Start of unit r's parameter block. */
    public int offset(int r) {
        return offsets[r];
    }

    /** Length of unit r's parameter block: 1 + |pa(r)|. */
    public int blockSize(int r) {
        return offsets[r + 1] - offsets[r];
    }

    /** Total number of parameters P. */
    public int parameterCount() {
        return offsets[types.length];
    }

    @Override
    public String toString() {
        return "Dag[" + types.length + " units, " + visible.length + " visible, " + parameterCount() + " parameters]";
    }
}
