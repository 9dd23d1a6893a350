package org.natgrad.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every flag the README's "Command line" section shows exists: each {@code ### `natgrad CMD`}
 * subsection's flags on that command (global ones included), the reproduce subsection's on at
 * least one {@code reproduce} subcommand, and the section's opening on {@code natgrad} itself.
 */
class ReadmeCliFlagsTest {

    private static final Pattern FLAG = Pattern.compile("--(\\[no-])?([a-z][a-z0-9-]*)");
    private static final Pattern HEADING = Pattern.compile("(?m)^### `natgrad ([a-z-]+)");

    @Test
    void everyFlagTheCommandLineSectionShowsExists() throws IOException {
        String readme = Files.readString(findReadme());
        int start = readme.indexOf("\n## Command line");
        int end = readme.indexOf("\n## ", start + 1);
        assertTrue(start >= 0 && end > start, "README has no '## Command line' section");
        String section = readme.substring(start, end);
        CommandLine root = NatgradCommand.commandLine();
        List<String> missing = new ArrayList<>();
        Matcher h = HEADING.matcher(section);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (h.find()) {
            starts.add(h.start());
            names.add(h.group(1));
        }
        starts.add(section.length());
        check(section.substring(0, starts.get(0)), List.of(root.getCommandSpec()), "natgrad", missing);
        for (int i = 0; i < names.size(); i++) {
            String text = section.substring(starts.get(i), starts.get(i + 1));
            CommandLine cmd = root.getSubcommands().get(names.get(i));
            assertTrue(cmd != null, "README documents an unknown command: " + names.get(i));
            List<CommandSpec> specs = new ArrayList<>(List.of(cmd.getCommandSpec()));
            cmd.getSubcommands().values().forEach(c -> specs.add(c.getCommandSpec()));
            check(text, specs, names.get(i), missing);
        }
        assertTrue(names.containsAll(List.of("train", "reproduce", "fisher", "fisher-variance")), names.toString());
        assertTrue(missing.isEmpty(), "README's Command line section shows flags that do not exist: " + missing);
    }

    /** Adds to {@code missing} each flag of {@code text} that none of {@code specs} has. */
    private static void check(String text, List<CommandSpec> specs, String where, List<String> missing) {
        Set<String> flags = new LinkedHashSet<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            flags.add("--" + m.group(2));
        }
        for (String f : flags) {
            boolean found = specs.stream().anyMatch(s -> s.findOption(f) != null
                    || f.startsWith("--no-") && s.findOption("--" + f.substring(5)) != null);
            if (!found) {
                missing.add(where + ": " + f);
            }
        }
    }

    private static Path findReadme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("natgrad-lab"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
