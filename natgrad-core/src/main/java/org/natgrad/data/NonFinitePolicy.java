package org.natgrad.data;

/** What a data reader does with NaN or infinite values (or, in CSV, empty fields). */
public enum NonFinitePolicy {
    /** Refuse the file, naming the file, row and column of the first bad value. */
    REFUSE,
    /** Drop every example (row) holding such a value; the count is reported. */
    DROP_ROWS
}
