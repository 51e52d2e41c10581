/**
 * Not API: may change in any release without notice. What only the model's own kernel code does
 * to the page cache and the VFS (migration replacing a folio in an address space, the machine
 * wiring the VFS to the reverse map when it boots), kept out of {@link org.gupsim.fs.Vfs} and
 * {@link org.gupsim.fs.AddressSpace}. The counterpart of mm/internal.h's page-cache half.
 */
package org.gupsim.fs.internal;
