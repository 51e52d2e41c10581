package org.gupsim.compare;

import java.util.List;
import java.util.SortedMap;
import org.apache.commons.lang3.Validate;
import org.gupsim.explore.ShardPart;

/**
 * One shard's part of a comparison ({@code gupsim compare --shard I/N}): the explorations of the
 * cells whose index is {@code shard} modulo {@code shards} (cells the scenario does not apply to
 * are left out: merging finds them again), in a form to write to a file and to merge with the
 * other shards' parts into the report one process would have made ({@link Comparison#merge}).
 * No wall times: the same shard of the same comparison gives the same part.
 *
 * @param shard  this shard's number, 0 to {@code shards - 1}
 * @param shards how many shards the comparison was split into
 * @param cells  the explored cells, by index
 */
public record ComparisonShard(int shard, int shards, List<CellPart> cells) implements ShardPart {

    public ComparisonShard {
        Validate.isTrue(shards >= 1 && shard >= 0 && shard < shards, "shard must be 0 to shards - 1: %d/%d", shard,
                shards);
        cells = List.copyOf(cells);
    }

    /**
     * One cell's exploration, as {@code ExplorationResult} has it, the counterexample's trace left
     * out (merging replays its schedule).
     *
     * @param index            the cell's index in the comparison's order
     * @param verdict          SAFE, VIOLATION or DEADLOCK
     * @param exhausted        the search covered its space
     * @param schedules        executions run
     * @param pruned           executions the reduction abandoned
     * @param outcomes         outcome → executions
     * @param violations       violation kind → executions
     * @param violationKind    the counterexample's violation kind, or null
     * @param violationSubject its subject, or null
     * @param violationMessage its message, or null
     * @param schedule         its schedule string, or null
     * @param stepBudget       the step budget of each execution
     * @param outOfBudget      executions cut off by the step budget
     * @param interrupted      a stop was requested before the cell ended
     * @param strategy         the strategy as the result names it
     */
    public record CellPart(int index, String verdict, boolean exhausted, long schedules, long pruned,
                           SortedMap<String, Long> outcomes, SortedMap<String, Long> violations, String violationKind,
                           String violationSubject, String violationMessage, String schedule, int stepBudget,
                           long outOfBudget, boolean interrupted, String strategy) {
    }
}
