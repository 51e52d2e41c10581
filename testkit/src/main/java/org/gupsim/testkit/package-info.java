/**
 * Support for property tests of your own against gupsim: jqwik arbitraries for architecture
 * variants, kernel versions, mappings and GUP calls ({@link org.gupsim.testkit.GupArbitraries}),
 * one-mapping setups ({@link org.gupsim.testkit.Mapping}, {@link org.gupsim.testkit.Mapped}),
 * small machines that must tear down clean ({@link org.gupsim.testkit.Worlds}), the
 * fast-versus-slow agreement check of GUP-fast ({@link org.gupsim.testkit.FastSlowAgreement}),
 * one case of a long-term pinning table ({@link org.gupsim.testkit.LongtermPin}) and the checks of
 * an exploration's verdict with its evidence ({@link org.gupsim.testkit.Explorations}).
 *
 * <p>It depends on {@code gupsim-core} only and finds the architectures through
 * {@link org.gupsim.arch.ArchRegistry} ({@link java.util.ServiceLoader}) at run time: put the
 * arch modules you want to test on the test class path beside it. It mirrors no kernel file; its
 * setups are the ones the kernel's {@code tools/testing/selftests/mm/gup_longterm.c} builds.
 */
package org.gupsim.testkit;
