/**
 * get_user_pages() and pin_user_pages(), slow and fast. Mirrors mm/gup.c: the FOLL flags, argument
 * validation, the slow path ({@code __get_user_pages()} with {@code check_vma_flags()},
 * {@code follow_page_mask()} and {@code faultin_page()}), the lockless fast path
 * ({@code gup_fast_*}), FOLL_LONGTERM migration, pin accounting. What differs between kernels is
 * read from features ({@link org.gupsim.gup.GupFeatures}); the release labels are presets of them
 * ({@link org.gupsim.gup.KernelVersion}), and {@link org.gupsim.gup.GupPatches} takes GUP-fast's
 * safeguards out one at a time.
 */
package org.gupsim.gup;
