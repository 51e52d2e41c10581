/**
 * Support for property tests of your own against gupsim: jqwik arbitraries for architecture
 * variants, kernel versions, mappings and GUP calls ({@link org.gupsim.testkit.GupArbitraries}),
 * one-mapping setups ({@link org.gupsim.testkit.Mapping}, {@link org.gupsim.testkit.Mapped},
 * {@link org.gupsim.testkit.GupSetup} with a {@link org.gupsim.testkit.Placement}), small machines
 * that must tear down clean ({@link org.gupsim.testkit.Worlds}), the fast-versus-slow agreement
 * check of GUP-fast ({@link org.gupsim.testkit.FastSlowAgreement}), one case of a long-term
 * pinning table ({@link org.gupsim.testkit.LongtermPin}, its oracle
 * {@link org.gupsim.testkit.LongtermRule}) and the checks of an exploration's verdict with its
 * evidence ({@link org.gupsim.testkit.Explorations}).
 *
 * <p>The suites every architecture runs: an architecture module's test subclasses one and gives
 * its rows or its setups, never the scaffolding: {@link org.gupsim.testkit.ScenarioVerdictSuite},
 * {@link org.gupsim.testkit.SampledVerdictSuite}, {@link org.gupsim.testkit.LongtermRuleSuite},
 * {@link org.gupsim.testkit.FastSlowAgreementSuite} and {@link org.gupsim.testkit.WalkAgreementSuite}.
 *
 * <p>It depends on {@code gupsim-core} only and finds the architectures through
 * {@link org.gupsim.arch.ArchRegistry} ({@link java.util.ServiceLoader}) at run time: put the
 * arch modules you want to test on the test class path beside it. Its kernel counterpart is
 * {@code tools/testing/selftests/mm}: its setups are the ones {@code gup_longterm.c} builds.
 */
package org.gupsim.testkit;
