/**
 * Worlds and scenarios: a booted machine ({@link org.gupsim.scenario.World}: memory, CPUs, files,
 * processes, GUP for one architecture variant and kernel version) and, with the explorer, the
 * scenarios that give each CPU a program. The counterpart of tools/testing/selftests/mm.
 */
package org.gupsim.scenario;
