package org.gupsim.cli;

import org.gupsim.scenario.Backing;

import org.apache.commons.lang3.Validate;

/**
 * One validated {@code gupsim pin} request.
 *
 * @param machine  architecture variant and kernel
 * @param backing  what backs the mapping
 * @param shared   MAP_SHARED (else MAP_PRIVATE)
 * @param readOnly mprotect the mapping to PROT_READ before the call
 * @param api      the entry point to call
 * @param write    FOLL_WRITE asked for
 * @param longterm FOLL_LONGTERM asked for
 * @param pages    number of pages of {@code pageSize}
 * @param pageSize the page size of the backing
 */
record PinRequest(MachineOptions.Machine machine, Backing backing, boolean shared, boolean readOnly, PinApi api,
                  boolean write, boolean longterm, int pages, PageSize pageSize) {
    PinRequest {
        Validate.isTrue(machine != null && backing != null && api != null && pageSize != null,
                "machine, backing, api and pageSize must not be null");
        Validate.isTrue(pages > 0, "pages must be positive, was %d", pages);
    }

    /** The length of the mapping in bytes. */
    long length() {
        return (long) pages << pageSize.shift();
    }

    /** The number of base pages handed to GUP ({@code requested} in the report). */
    int basePages() {
        return (int) (length() >>> machine.arch().pageShift());
    }
}
