package org.gupsim.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void formatsRuns() {
        assertEquals("0x3,1x2,0", Schedule.format(new int[] {0, 0, 0, 1, 1, 0}, 6));
        assertEquals("0x3", Schedule.format(new int[] {0, 0, 0, 1, 1, 0}, 3));
        assertEquals("", Schedule.format(new int[0], 0));
        assertEquals("12,3", Schedule.format(new int[] {12, 3}, 2));
    }

    @Test
    void parsesCanonicalAndLongForms() {
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 0}, Schedule.parse("0x3,1x2,0"));
        assertArrayEquals(new int[] {0, 0, 1}, Schedule.parse("0,0,1"));
        assertArrayEquals(new int[0], Schedule.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("0x0"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("0,,1"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse(null));
    }

    @Property
    void parseInvertsFormat(@ForAll @Size(max = 40) int[] raw, @ForAll @IntRange(min = 1, max = 5) int threads) {
        int[] choices = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            choices[i] = Math.floorMod(raw[i], threads);
        }
        assertArrayEquals(choices, Schedule.parse(Schedule.format(choices, choices.length)));
    }
}
