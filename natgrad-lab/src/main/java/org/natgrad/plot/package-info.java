/**
 * Plots for run folders: {@link org.natgrad.plot.LinePlot} (line series, optional log-scale y)
 * and {@link org.natgrad.plot.FigureGrid} (several plots in rows x columns, composed into one
 * PNG and one SVG). A thin layer over XChart (drawing) and VectorGraphics2D (SVG); works
 * headless; files are written atomically.
 */
package org.natgrad.plot;
