/**
 * Page tables: table pages ({@code ptdesc}) holding one or more tables of {@code long} entries,
 * the geometry of each level, the architecture's entry format, and the locked and lockless
 * ways to walk them. Mirrors include/linux/pgtable.h, include/asm-generic/pgtable-nop4d.h and
 * friends, mm/pgtable-generic.c.
 *
 * <p>Five logical levels, as the kernel has: PGD, P4D, PUD, PMD, PTE. An architecture or an mm
 * folds the upper ones (x86 4-level folds P4D, a 3-level s390 mm folds PGD and P4D): folded levels
 * have no table of their own, the walker's pointer passes through them unchanged, and the first
 * real level, {@link org.gupsim.pgtable.Geometry#top()}, is where {@code mm->pgd} points. What a
 * lockless walker's offset through folded levels comes to when it holds only a stack copy of the
 * entry is the architecture's: {@link org.gupsim.pgtable.FoldedOffset}.
 */
package org.gupsim.pgtable;
