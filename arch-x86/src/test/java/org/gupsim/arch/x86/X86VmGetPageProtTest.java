package org.gupsim.arch.x86;

import static org.gupsim.arch.x86.X86EntryFormat.ACCESSED;
import static org.gupsim.arch.x86.X86EntryFormat.NX;
import static org.gupsim.arch.x86.X86EntryFormat.PRESENT;
import static org.gupsim.arch.x86.X86EntryFormat.PROTNONE;
import static org.gupsim.arch.x86.X86EntryFormat.RW;
import static org.gupsim.arch.x86.X86EntryFormat.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gupsim.pgtable.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * x86 {@code protection_map} for all 16 combinations of VM_READ (1), VM_WRITE (2), VM_EXEC (4)
 * and VM_SHARED (8). Columns: the flags, then what the template must be: none (PAGE_NONE),
 * readable, writable (RW), executable (NX clear).
 */
class X86VmGetPageProtTest {
    private static final X86EntryFormat F = X86EntryFormat.INSTANCE;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # flags               | none  | write | exec
            none                  | true  | false | false
            r                     | false | false | false
            w                     | false | false | false
            rw                    | false | false | false
            x                     | false | false | true
            rx                    | false | false | true
            wx                    | false | false | true
            rwx                   | false | false | true
            s                     | true  | false | false
            sr                    | false | false | false
            sw                    | false | true  | false
            srw                   | false | true  | false
            sx                    | false | false | true
            srx                   | false | false | true
            swx                   | false | true  | true
            srwx                  | false | true  | true
            """)
    void protectionMap(String flags, boolean none, boolean write, boolean exec) {
        long vmFlags = parse(flags);
        long expected = none
                ? PROTNONE | ACCESSED
                : PRESENT | USER | ACCESSED | (write ? RW : 0) | (exec ? 0 : NX);
        assertEquals(expected, F.vmGetPageProt(vmFlags), () -> "vm_flags 0x" + Long.toHexString(vmFlags));
        // bits above VM_SHARED (VM_MAYREAD and friends) do not change the template
        assertEquals(expected, F.vmGetPageProt(vmFlags | 0xf0 | (1L << 40)));

        long pte = F.mkLeaf(Level.PTE, 0x1000, F.vmGetPageProt(vmFlags));
        assertEquals(none, F.leafProtnone(Level.PTE, pte));
        assertEquals(!none, F.accessPermitted(Level.PTE, pte, false), "any access is readable on x86");
        assertEquals(write, F.accessPermitted(Level.PTE, pte, true), "only shared writable maps are RW");
    }

    private static long parse(String flags) {
        long v = 0;
        for (char c : flags.toCharArray()) {
            v |= switch (c) {
                case 'r' -> X86EntryFormat.VM_READ;
                case 'w' -> X86EntryFormat.VM_WRITE;
                case 'x' -> X86EntryFormat.VM_EXEC;
                case 's' -> X86EntryFormat.VM_SHARED;
                default -> 0;
            };
        }
        return flags.equals("none") ? 0 : v;
    }
}
