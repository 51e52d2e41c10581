package org.gupsim.gup;

import static org.gupsim.vm.VmFlags.MAP_ANONYMOUS;
import static org.gupsim.vm.VmFlags.MAP_PRIVATE;
import static org.gupsim.vm.VmFlags.MAP_SHARED;
import static org.gupsim.vm.VmFlags.PROT_READ;
import static org.gupsim.vm.VmFlags.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.pgtable.Level;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on every powerpc variant: backings × map × prot ×
 * {pup, pup-fast} × {6.4, 6.5, latest}. Setup as tools/testing/selftests/mm/gup_longterm.c: map
 * PROT_READ|PROT_WRITE, write every page, mprotect PROT_READ for the read-only column; "rw" asks
 * for FOLL_WRITE|FOLL_LONGTERM, "ro" for FOLL_LONGTERM. Hugetlb uses the variant's PMD leaf size
 * (2M on radix, 16M on hash). The oracle is arch-x86's LongtermRuleTableTest's, restricted to
 * these kernels and APIs; nothing in it depends on the architecture.
 */
class PpcLongtermRuleTableTest {
    private static final int SMALL_PAGES = 8;

    enum Backing {
        ANON, MEMFD, HUGETLB, EXT4, SECRETMEM;

        boolean dirtyTrackedFs() {
            return this == EXT4;
        }
    }

    enum MapType { SHARED, PRIVATE }

    enum Prot { RW, RO }

    enum Api { PUP, PUP_FAST }

    enum Outcome { PINNED, EFAULT, MMAP_EINVAL }

    record Case(String variant, KernelVersion kernel, Backing backing, MapType map, Prot prot, Api api,
                Outcome expected) {
        @Override
        public String toString() {
            return variant + " " + kernel.label() + " " + backing.name().toLowerCase() + " "
                    + map.name().toLowerCase() + " " + prot.name().toLowerCase() + " "
                    + api.name().toLowerCase() + " -> " + expected;
        }
    }

    /** The oracle; see arch-x86 LongtermRuleTableTest#expected for the reasoning, path by path. */
    static Outcome expected(KernelVersion k, Backing b, MapType m, Prot p, Api api) {
        boolean shared = m == MapType.SHARED;
        if (b == Backing.SECRETMEM) {
            return shared ? Outcome.EFAULT : Outcome.MMAP_EINVAL;
        }
        boolean write = p == Prot.RW;
        boolean merged = k.atLeast(6, 5);
        boolean anonVma = b == Backing.ANON && !shared;
        boolean slowRefuses = write && !anonVma && merged && b.dirtyTrackedFs() && shared;
        boolean fastPinsAll = !shared || (write && (!merged || !b.dirtyTrackedFs()));
        Outcome gup = slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
        return api == Api.PUP_FAST && fastPinsAll ? Outcome.PINNED : gup;
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String v : List.of("radix-64k", "radix-4k", "hash-64k")) {
            for (KernelVersion k : List.of(KernelVersion.V6_4, KernelVersion.V6_5, KernelVersion.LATEST)) {
                for (Backing b : Backing.values()) {
                    for (MapType m : MapType.values()) {
                        for (Prot p : Prot.values()) {
                            for (Api a : Api.values()) {
                                out.add(new Case(v, k, b, m, p, a, expected(k, b, m, p, a)));
                            }
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void longtermPinFollowsTheRule(Case c) {
        KernelVersion k = c.kernel();
        World w = PpcMappings.boot(c.variant(), k, 64);
        Task t = w.newTask();
        long page = 1L << w.mem().pageShift();
        long pmd = w.vm().arch().newMmGeometry().size(Level.PMD);
        long len = c.backing() == Backing.HUGETLB ? pmd : SMALL_PAGES * page;
        int nrPages = (int) (len / page);
        Vfs vfs = w.vfs();
        OpenFile file = switch (c.backing()) {
            case ANON -> null;
            case MEMFD -> vfs.memfdCreate("buf", 0, 0);
            case SECRETMEM -> vfs.memfdSecret();
            case HUGETLB -> vfs.create(new Filesystem(FsType.HUGETLBFS, false, Long.numberOfTrailingZeros(pmd)), "buf", len);
            case EXT4 -> vfs.create(vfs.mount(FsType.EXT4), "buf", len);
        };
        boolean linked = c.backing() == Backing.HUGETLB || c.backing() == Backing.EXT4;
        if (file != null && !linked) {
            assertEquals(null, vfs.ftruncate(file, len));
        }
        int mapFlags = (c.map() == MapType.SHARED ? MAP_SHARED : MAP_PRIVATE) | (file == null ? MAP_ANONYMOUS : 0);
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, mapFlags, file, 0);
        Outcome actual;
        Page[] pages = new Page[nrPages];
        int pinned = 0;
        String detail;
        if (addr < 0) {
            assertEquals(Errno.EINVAL.negative(), addr, "mmap");
            actual = Outcome.MMAP_EINVAL;
            detail = "mmap " + Errno.fromReturn(addr);
        } else {
            assertEquals(0, t.touch(addr, len, true), "write to every page");
            if (c.prot() == Prot.RO) {
                assertEquals(0, t.mprotect(addr, len, PROT_READ), "mprotect PROT_READ");
            }
            EnumSet<Foll> flags = c.prot() == Prot.RW ? EnumSet.of(Foll.WRITE, Foll.LONGTERM) : EnumSet.of(Foll.LONGTERM);
            GupResult r;
            if (c.api() == Api.PUP) {
                t.mm().mmapLock().downRead(w.vm().cpu());
                try {
                    r = w.gup().pinUserPages(t.mm(), addr, nrPages, flags, pages);
                } finally {
                    t.mm().mmapLock().upRead(w.vm().cpu());
                }
            } else {
                r = w.gup().pinUserPagesFast(t.mm(), addr, nrPages, flags, pages);
            }
            pinned = r.pages();
            detail = r.toString();
            actual = r.ret() == nrPages ? Outcome.PINNED : r.ret() == Errno.EFAULT.negative() ? Outcome.EFAULT : null;
            if (actual == Outcome.PINNED) {
                for (int i = 0; i < nrPages; i++) {
                    assertTrue(pages[i] != null && pages[i].folio().maybeDmaPinned(), "page " + i + " pinned");
                }
            }
        }
        assertEquals(c.expected(), actual, c + ": got " + detail);
        assertEquals(List.of(), w.checkAccounting(), "accounting");
        if (pinned > 0) {
            w.gup().unpinUserPages(pages, pinned);
        }
        if (file != null) {
            vfs.fput(file);
        }
        if (linked) {
            assertEquals(null, vfs.unlink("buf"));
        }
        assertEquals(List.of(), w.teardown(), "teardown");
    }
}
