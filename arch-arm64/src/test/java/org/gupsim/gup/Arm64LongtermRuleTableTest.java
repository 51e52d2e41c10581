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
import org.gupsim.arch.ArchVariant;
import org.gupsim.fs.Filesystem;
import org.gupsim.fs.FsType;
import org.gupsim.fs.OpenFile;
import org.gupsim.fs.Vfs;
import org.gupsim.mm.Errno;
import org.gupsim.mm.Page;
import org.gupsim.scenario.World;
import org.gupsim.vm.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term pinning rule of spec §4 on every arm64 variant: backings × map × prot ×
 * {pup, pup-fast} × {6.4, 6.5, latest}, set up as tools/testing/selftests/mm/gup_longterm.c does
 * (map PROT_READ|PROT_WRITE, write every page, mprotect PROT_READ for the "ro" column; "rw" asks
 * for FOLL_WRITE|FOLL_LONGTERM, "ro" for FOLL_LONGTERM). Hugetlb uses the variant's default huge
 * page size (2M, 32M or 512M) and the contiguous-PTE size (64K, 2M or 2M). The oracle is written from the spec, not from the model's rule
 * code; it is the merged-rule part of arch-x86's table, which must not depend on the architecture.
 */
class Arm64LongtermRuleTableTest {
    private static final int SMALL_PAGES = 16;
    private static final List<KernelVersion> KERNELS = List.of(KernelVersion.V6_4, KernelVersion.V6_5,
            KernelVersion.LATEST);

    enum Backing {
        ANON, MEMFD, HUGETLB, HUGETLB_CONT_PTE, EXT4, SECRETMEM;

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
            return "arm64:" + variant + " " + kernel.label() + " " + backing.name().toLowerCase() + " "
                    + map.name().toLowerCase() + " " + prot.name().toLowerCase() + " "
                    + api.name().toLowerCase().replace('_', '-') + " -> " + expected;
        }
    }

    /**
     * The oracle. Secretmem: MAP_SHARED only, and refused by both paths. A write to a read-only
     * VMA: -EFAULT. 6.4 has no file rule; 6.5+ refuses long-term write pins of shared writable
     * dirty-tracked file mappings (ext4) on the slow path, and the fast path sends their folios to
     * it. Private mappings hold exclusive anonymous pages, pinned by both paths. A read-only
     * long-term pin of a shared page-cache page falls back to the slow path, which pins it.
     */
    static Outcome expected(KernelVersion k, Backing b, MapType m, Prot p) {
        boolean shared = m == MapType.SHARED;
        if (b == Backing.SECRETMEM) {
            return shared ? Outcome.EFAULT : Outcome.MMAP_EINVAL;
        }
        boolean write = p == Prot.RW;
        boolean anonVma = b == Backing.ANON && !shared;
        boolean merged = k.atLeast(6, 5);
        boolean slowRefuses = write && !anonVma && merged && b.dirtyTrackedFs() && shared;
        return slowRefuses ? Outcome.EFAULT : Outcome.PINNED;
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String v : Arm64Mappings.variants()) {
            for (KernelVersion k : KERNELS) {
                for (Backing b : Backing.values()) {
                    for (MapType m : MapType.values()) {
                        for (Prot p : Prot.values()) {
                            for (Api a : Api.values()) {
                                out.add(new Case(v, k, b, m, p, a, expected(k, b, m, p)));
                            }
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    private record Backed(OpenFile file, String linkedName) {
    }

    private static Backed createBacking(World w, Backing b, long len) {
        Vfs vfs = w.vfs();
        return switch (b) {
            case ANON -> new Backed(null, null);
            case MEMFD -> {
                OpenFile f = vfs.memfdCreate("buf", 0, 0);
                assertEquals(null, vfs.ftruncate(f, len));
                yield new Backed(f, null);
            }
            case SECRETMEM -> {
                OpenFile f = vfs.memfdSecret();
                assertEquals(null, vfs.ftruncate(f, len));
                yield new Backed(f, null);
            }
            case HUGETLB, HUGETLB_CONT_PTE -> new Backed(vfs.create(new Filesystem(FsType.HUGETLBFS, false,
                    Long.numberOfTrailingZeros(len)), "buf", len), "buf");
            case EXT4 -> new Backed(vfs.create(vfs.mount(FsType.EXT4), "buf", len), "buf");
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void longtermPinFollowsTheRule(Case c) {
        KernelVersion k = c.kernel();
        World w = Arm64Mappings.boot(c.variant(), k);
        ArchVariant v = w.arch();
        Task t = w.newTask();
        long len = switch (c.backing()) {
            case HUGETLB -> v.hugePageSizes()[0];
            case HUGETLB_CONT_PTE -> v.hugePageSizes()[1];
            default -> (long) SMALL_PAGES << v.pageShift();
        };
        int nrPages = (int) (len >>> v.pageShift());
        Backed backed = createBacking(w, c.backing(), len);
        int mapFlags = (c.map() == MapType.SHARED ? MAP_SHARED : MAP_PRIVATE)
                | (backed.file() == null ? MAP_ANONYMOUS : 0);
        long addr = t.mmap(0, len, PROT_READ | PROT_WRITE, mapFlags, backed.file(), 0);
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
            EnumSet<Foll> flags = c.prot() == Prot.RW ? EnumSet.of(Foll.WRITE, Foll.LONGTERM)
                    : EnumSet.of(Foll.LONGTERM);
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
        if (backed.file() != null) {
            w.vfs().fput(backed.file());
        }
        if (backed.linkedName() != null) {
            assertEquals(null, w.vfs().unlink(backed.linkedName()));
        }
        assertEquals(List.of(), w.teardown(), "teardown");
    }
}
