package org.gupsim.explore;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.lang3.Validate;

/**
 * One shard's part of a split run ({@code --shard I/N}): an exploration's ({@link SearchShard}) or
 * a comparison's. Merging needs every shard of one split exactly once; {@link #inShardOrder}
 * checks that, the same way for both.
 */
public interface ShardPart {

    /** This part's shard number, 0 to {@link #shards()} - 1. */
    int shard();

    /** How many shards the run was split into. */
    int shards();

    /**
     * The parts ordered by shard number.
     *
     * @throws IllegalArgumentException when they are not every shard of one split exactly once:
     *                                  none, a null, shard counts that differ, a shard number out of
     *                                  range, a shard given twice or missing
     */
    static <P extends ShardPart> List<P> inShardOrder(List<P> parts) {
        Validate.isTrue(parts != null && !parts.isEmpty(), "no shards to merge");
        Validate.isTrue(parts.stream().allMatch(java.util.Objects::nonNull), "parts must not contain null");
        int n = parts.get(0).shards();
        Validate.isTrue(n >= 1, "a part of %d shards: there is at least one", n);
        Object[] byIndex = new Object[n];
        for (P p : parts) {
            Validate.isTrue(p.shards() == n, "the files are shards of different splits (%d and %d shards)", n,
                    p.shards());
            Validate.isTrue(p.shard() >= 0 && p.shard() < n, "shard %d/%d is out of range (0 to %d)", p.shard(), n,
                    n - 1);
            Validate.isTrue(byIndex[p.shard()] == null, "shard %d/%d is given twice", p.shard(), n);
            byIndex[p.shard()] = p;
        }
        for (int i = 0; i < n; i++) {
            Validate.isTrue(byIndex[i] != null, "shard %d/%d is missing", i, n);
        }
        @SuppressWarnings("unchecked")
        List<P> ordered = (List<P>) (List<?>) Arrays.asList(byIndex);
        return List.copyOf(ordered);
    }
}
