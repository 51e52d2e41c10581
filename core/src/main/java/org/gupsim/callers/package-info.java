/**
 * In-kernel users of GUP: io_uring fixed buffers and VFIO type1 DMA mapping. Mirrors
 * io_uring/rsrc.c and drivers/vfio/vfio_iommu_type1.c at the level of which GUP call they make
 * with which flags, how they account pinned memory, and how they unwind.
 */
package org.gupsim.callers;
