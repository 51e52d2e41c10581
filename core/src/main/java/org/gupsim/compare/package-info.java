/**
 * Side-by-side comparison: runs a product of scenarios (with parameters) × architecture variants ×
 * kernel versions × mutant sets through the explorer and renders the result as a table, like
 * herd7's per-architecture "Sometimes/Never" verdicts and jcstress's outcome tables, with a
 * Lincheck-style trace for every violation. It has no kernel twin; its counterpart in the kernel
 * world is a maintainer running a selftest on every architecture and reading the results side by
 * side. The report model ({@link org.gupsim.compare.ComparisonReport} and the records it holds) is
 * plain data a test can assert on; renderers turn it into text, markdown or JSON.
 */
package org.gupsim.compare;
