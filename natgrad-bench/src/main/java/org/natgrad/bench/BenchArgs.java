package org.natgrad.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Integer options of the plain-main benchmarks ({@code --name value} pairs): unknown names, a
 * missing value or a non-integer exit with status 2 and a usage line naming the tool and its options.
 */
final class BenchArgs {

    private BenchArgs() {
    }

    /**
     * Parses {@code args} against {@code defaults} (option name without the dashes → default value)
     * and checks every value against its minimum in {@code minima} (same keys).
     *
     * @return the values, defaults filled in, in the order of {@code defaults}
     */
    static Map<String, Integer> parse(String tool, String[] args, Map<String, Integer> defaults, Map<String, Integer> minima) {
        Map<String, Integer> v = new LinkedHashMap<>(defaults);
        StringBuilder usage = new StringBuilder("usage: ").append(tool);
        defaults.forEach((k, d) -> usage.append(" [--").append(k).append(' ').append(d).append(']'));
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!v.containsKey(name)) {
                fail(tool, "unknown option " + args[i], usage);
            }
            if (i + 1 >= args.length) {
                fail(tool, "missing value after " + args[i], usage);
            }
            int value = 0;
            try {
                value = Integer.parseInt(args[i + 1]);
            } catch (NumberFormatException e) {
                fail(tool, args[i] + " needs an integer, got '" + args[i + 1] + "'", usage);
            }
            if (value < minima.get(name)) {
                fail(tool, args[i] + " must be >= " + minima.get(name) + ", got " + value, usage);
            }
            v.put(name, value);
        }
        return v;
    }

    private static void fail(String tool, String problem, CharSequence usage) {
        System.err.println(tool + ": " + problem);
        System.err.println(usage);
        System.exit(2);
    }
}
