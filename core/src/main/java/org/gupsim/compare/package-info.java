/**
 * Side-by-side comparison: runs a product of scenarios (with parameters) × architecture variants ×
 * kernel versions × patch sets through the explorer and gathers the result as a table, like
 * herd7's per-architecture "Sometimes/Never" verdicts and jcstress's outcome tables, with a
 * Lincheck-style trace for every violation. It has no kernel twin; its counterpart in the kernel
 * world is a maintainer running a selftest on every architecture and reading the results side by
 * side. The report model ({@link org.gupsim.compare.ComparisonReport} and the records it holds,
 * among them the {@link org.gupsim.compare.Search} every cell ran) is plain data a test can assert
 * on; which variant mechanism can explain which violation is reasoned out in
 * {@link org.gupsim.compare.Mechanism}. This package is the engine only: turning a report into
 * text, markdown, JSON or HTML is the business of the formats in the {@code gupsim-report}
 * module, which depends on this one and never the other way round.
 */
package org.gupsim.compare;
