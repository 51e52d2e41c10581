package org.gupsim.arch.s390.kvm;

/**
 * An adapter interrupt vector made over a guest page ({@code airq_iv_create(..., AIRQ_IV_GUESTVEC,
 * vector)}): {@code bits} interrupt bits at host physical address {@code vectorPhys}.
 */
public record AirqIv(int bits, long vectorPhys) {
}
