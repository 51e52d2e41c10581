package org.gupsim.explore;

import java.util.List;
import org.apache.commons.lang3.Validate;

/**
 * One shard's part of a depth-first search ({@code gupsim explore --shard I/N}): what its tasks
 * ran, in a form to write to a file and to merge with the other shards' parts into the result of
 * the whole search ({@link Explorer#merge}), byte for byte what one process would have found.
 *
 * <p>Every shard explores the root task (up to some ten thousand executions, the same in every
 * shard); shard {@code i} then explores the root's children whose ordinal is {@code i} modulo
 * {@code shards}, with their subtrees, and lists the others as {@code ELSEWHERE}.
 *
 * @param shard       this shard's number, 0 to {@code shards - 1}
 * @param shards      how many shards the search was split into
 * @param stepBudget  the step budget the executions had (the same in every shard)
 * @param interrupted a stop was requested before this shard's part ended
 * @param tasks       the tasks this shard knows, the root first
 */
public record SearchShard(int shard, int shards, int stepBudget, boolean interrupted, List<TaskPart> tasks)
        implements ShardPart {

    public SearchShard {
        Validate.isTrue(shards >= 1 && shard >= 0 && shard < shards, "shard must be 0 to shards - 1: %d/%d", shard,
                shards);
        tasks = List.copyOf(tasks);
    }

    /**
     * One task of the search tree as a shard saw it.
     *
     * @param key      its position in the canonical order (see {@code TaskTree}), empty for the root
     * @param ordinal  its number among its parent's children, in the order they were made
     * @param state    {@code DONE}, {@code CANCELLED} (not needed, or interrupted) or {@code ELSEWHERE}
     * @param searched its own part of the search ran to the end
     * @param outcomes the outcomes its codes refer to (code 1 is the first)
     * @param codes    one code per execution, in the order they ran (see {@code ExecutionLog})
     * @param found    the violations kept for the report (see {@code ExecutionLog.Found})
     */
    public record TaskPart(List<Long> key, int ordinal, String state, boolean searched, List<String> outcomes,
                           List<Integer> codes, List<Found> found) {
        public TaskPart {
            key = List.copyOf(key);
            outcomes = List.copyOf(outcomes);
            codes = List.copyOf(codes);
            found = List.copyOf(found);
        }
    }

    /**
     * A violating execution kept for the report.
     *
     * @param index    its position in the task's codes
     * @param kind     the violation kind's name
     * @param subject  the violation's subject
     * @param message  the violation's message
     * @param steps    its length
     * @param switches its context switches
     * @param schedule its schedule string
     */
    public record Found(int index, String kind, String subject, String message, int steps, int switches,
                        String schedule) {
    }
}
