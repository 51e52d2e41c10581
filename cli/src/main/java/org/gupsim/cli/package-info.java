/**
 * The {@code gupsim} command (picocli): compare, explore, replay, pin, list and the commands the
 * architecture modules contribute. It parses and checks options, runs the engine and prints with
 * the formats and the JSON writer of {@code org.gupsim.report}. It has no kernel twin; its
 * counterpart is a maintainer running the mm selftests by hand.
 */
package org.gupsim.cli;
