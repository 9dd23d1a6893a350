package org.natgrad.io;

import java.io.IOException;

/**
 * A file (or an in-memory image of one) does not follow its format. The message names the
 * source and, where one applies, the byte offset of the problem; both are also available as
 * fields so callers and tests need not parse the text.
 */
public final class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    /**
     * @param source what was being read (a file name, or "x.npy in data.npz")
     * @param offset byte offset of the problem, or -1 if none applies
     * @param problem what is wrong
     */
    public FileFormatException(String source, long offset, String problem) {
        super(source + (offset >= 0 ? " (byte offset " + offset + ")" : "") + ": " + problem);
        this.source = source;
        this.offset = offset;
    }

    /** The file or source name that was being read. */
    public String source() {
        return source;
    }

    /** The byte offset of the problem, or -1 if none applies. */
    public long offset() {
        return offset;
    }
}
