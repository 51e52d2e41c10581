/**
 * Not API: may change in any release without notice. The writes of {@code org.gupsim.mm}'s state
 * that only the model's own kernel code makes (the rest of mm/, the page cache, rmap, migration,
 * KSM), kept out of the API classes so that a user's code reads folios and pages but cannot set
 * what the kernel keeps consistent. The counterpart of the kernel's mm/internal.h: what mm/
 * shares with itself and exports to nobody.
 *
 * <p>It also holds {@link org.gupsim.mm.internal.InstalledAccess}, the install-once slot that
 * {@code pgtable.internal} and {@code fs.internal} use the same way for their packages.
 */
package org.gupsim.mm.internal;
