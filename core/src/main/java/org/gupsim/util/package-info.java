/**
 * Small helpers every package of gupsim may use: argument checks. The bottom of the package
 * order, below {@code kernel}; it imports nothing of gupsim. It models nothing, so it has no
 * kernel counterpart.
 */
package org.gupsim.util;
