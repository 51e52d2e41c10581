/**
 * Side-by-side comparison: runs a product of scenarios (with parameters) × architecture variants ×
 * kernel versions × patch sets through the explorer and renders the result as a table, like
 * herd7's per-architecture "Sometimes/Never" verdicts and jcstress's outcome tables, with a
 * Lincheck-style trace for every violation. It has no kernel twin; its counterpart in the kernel
 * world is a maintainer running a selftest on every architecture and reading the results side by
 * side. The report model ({@link org.gupsim.compare.ComparisonReport} and the records it holds,
 * among them the {@link org.gupsim.compare.Search} every cell ran) is plain data a test can assert
 * on. Renderers turn it into text ({@link org.gupsim.compare.TextReport}), markdown
 * ({@link org.gupsim.compare.MarkdownReport}), JSON ({@link org.gupsim.compare.JsonReport}) or one
 * self-contained HTML page ({@link org.gupsim.compare.HtmlReport}, with an SVG swimlane per trace
 * drawn by {@link org.gupsim.compare.TraceSwimlane}). Which variant mechanism can explain which
 * violation is reasoned out in {@link org.gupsim.compare.Mechanism}.
 */
package org.gupsim.compare;
