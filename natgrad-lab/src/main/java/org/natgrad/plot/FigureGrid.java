package org.natgrad.plot;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.natgrad.io.AtomicFiles;

/**
 * Several {@link LinePlot}s on a rows x cols grid of equal cells, composed into ONE image: each
 * chart is painted into the same {@link Graphics2D} at its cell's offset, a
 * {@link BufferedImage} for PNG and a VectorGraphics2D canvas for SVG. Empty cells stay white.
 * Works headless ({@code java.awt.headless=true}); files are written atomically.
 */
public final class FigureGrid {
    private final int rows;
    private final int cols;
    private final int cellWidth;
    private final int cellHeight;
    private final LinePlot[] cells;

    /**
     * @param cellWidth  pixels per cell, horizontally (the image is cols * cellWidth wide)
     * @param cellHeight pixels per cell, vertically (the image is rows * cellHeight high)
     */
    public FigureGrid(int rows, int cols, int cellWidth, int cellHeight) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("FigureGrid: need at least 1 x 1 cells, got " + rows + " x " + cols);
        }
        if (cellWidth < 50 || cellHeight < 50) {
            throw new IllegalArgumentException("FigureGrid: cells must be at least 50 x 50 pixels, got "
                    + cellWidth + " x " + cellHeight);
        }
        this.rows = rows;
        this.cols = cols;
        this.cellWidth = cellWidth;
        this.cellHeight = cellHeight;
        this.cells = new LinePlot[rows * cols];
    }

    /** Puts {@code plot} in cell (row, col), 0-based, row 0 at the top. */
    public FigureGrid set(int row, int col, LinePlot plot) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("FigureGrid: cell (" + row + ", " + col + ") outside " + rows + " x " + cols);
        }
        cells[row * cols + col] = plot;
        return this;
    }

    /** Image width in pixels. */
    public int width() {
        return cols * cellWidth;
    }

    /** Image height in pixels. */
    public int height() {
        return rows * cellHeight;
    }

    /** Paints the whole grid into {@code g} with its origin at the grid's top-left corner. */
    public void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                LinePlot p = cells[r * cols + c];
                if (p == null) {
                    continue;
                }
                Graphics2D cell = (Graphics2D) g.create();
                try {
                    cell.translate(c * cellWidth, r * cellHeight);
                    cell.clipRect(0, 0, cellWidth, cellHeight);
                    p.chart(cellWidth, cellHeight).paint(cell, cellWidth, cellHeight);
                } finally {
                    cell.dispose();
                }
            }
        }
    }

    /** The grid as PNG bytes. */
    public byte[] toPng() throws IOException {
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paint(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available in this JDK");
        }
        return out.toByteArray();
    }

    /** The grid as SVG bytes (UTF-8). */
    public byte[] toSvg() throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        paint(g);
        Document doc = new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width(), height()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.writeTo(out);
        return out.toByteArray();
    }

    /** Writes {@code file} as PNG, atomically. */
    public void savePng(Path file) throws IOException {
        AtomicFiles.writeBytes(file, toPng());
    }

    /** Writes {@code file} as SVG, atomically. */
    public void saveSvg(Path file) throws IOException {
        AtomicFiles.writeBytes(file, toSvg());
    }

    /**
     * Writes {@code base + ".png"} and {@code base + ".svg"}; {@code base} is a path without
     * extension, e.g. {@code run/loss}.
     */
    public void save(Path base) throws IOException {
        String name = base.getFileName().toString();
        savePng(base.resolveSibling(name + ".png"));
        saveSvg(base.resolveSibling(name + ".svg"));
    }
}
