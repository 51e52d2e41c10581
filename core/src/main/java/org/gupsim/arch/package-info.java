/**
 * The architecture SPI, its variants, and the registry that finds architecture modules with
 * {@link java.util.ServiceLoader}. Mirrors arch/*: each module supplies page-table geometry and
 * entry format, the TLB flush backend and table-freeing policy, and the address-space layout.
 * Core never imports an architecture module.
 */
package org.gupsim.arch;
