package org.gupsim.fs;

/**
 * What an address space's {@code i_mmap} tree holds: the VMAs mapping the file. The vm package's
 * VMA implements it; the reverse-map code there walks these.
 */
public interface MappedRange {
    long vmStart();

    long vmEnd();

    /** The file page offset mapped at {@link #vmStart()}. */
    long vmPgoff();
}
