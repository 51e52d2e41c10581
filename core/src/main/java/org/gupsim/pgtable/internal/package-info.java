/**
 * Not API: may change in any release without notice. The writes of page tables that only the
 * model's own kernel code makes (faults, zap, fork, THP, khugepaged, the architecture modules'
 * table allocation and upgrade), kept out of {@link org.gupsim.pgtable.PageTable} and
 * {@link org.gupsim.pgtable.PageTables} so that a user's code reads and walks tables but cannot
 * store an entry behind the kernel's back. The counterpart of the kernel's split between the
 * accessors of include/linux/pgtable.h that mm/ and arch/ use and what a driver may touch (none).
 */
package org.gupsim.pgtable.internal;
