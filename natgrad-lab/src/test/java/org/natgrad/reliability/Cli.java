package org.natgrad.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.natgrad.cli.NatgradCommand;

/** The {@code natgrad} command run in this JVM, with its exit code and both outputs. */
record Cli(int code, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NatgradCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }

    static Cli run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
