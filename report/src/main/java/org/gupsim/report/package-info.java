/**
 * Presentation of what the engine in {@code org.gupsim.compare} and the explorer produce: the
 * comparison report's formats behind one interface ({@link org.gupsim.report.ReportFormat}) and a
 * registry ({@link org.gupsim.report.ReportFormats}) that finds built-in and users' formats alike,
 * text ({@link org.gupsim.report.TextReport}), markdown ({@link org.gupsim.report.MarkdownReport}),
 * JSON ({@link org.gupsim.report.JsonReport}) and one self-contained HTML page
 * ({@link org.gupsim.report.HtmlReport}, with an SVG swimlane per trace drawn by
 * {@link org.gupsim.report.TraceSwimlane}); and the one JSON writer ({@link org.gupsim.report.Json},
 * Jackson) with the trace layout defined once ({@link org.gupsim.report.TraceJson}). It has no kernel
 * twin; its counterpart is a maintainer's summary of selftest runs on every architecture. It
 * depends on core and nothing in core depends on it.
 */
package org.gupsim.report;
