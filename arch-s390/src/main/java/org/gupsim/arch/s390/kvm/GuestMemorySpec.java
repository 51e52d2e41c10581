package org.gupsim.arch.s390.kvm;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.lang3.Validate;
import org.gupsim.arch.Labelled;
import org.gupsim.scenario.Backing;
import org.gupsim.util.Args;

/**
 * How a QEMU user set up guest RAM: the backend, its {@code share} property, the filesystem of
 * {@code mem-path} (memory-backend-file only) and {@code hugetlb=on} (memory-backend-memfd only).
 *
 * @param backend the QEMU backend object
 * @param share   MAP_SHARED (on) or MAP_PRIVATE (off), after defaults and aliases
 * @param fs      mem-path's filesystem for {@link QemuMemoryBackend#FILE}, else null
 * @param hugetlb memfd_create(MFD_HUGETLB) for {@link QemuMemoryBackend#MEMFD}, else false
 */
public record GuestMemorySpec(QemuMemoryBackend backend, boolean share, MemPathFs fs, boolean hugetlb) {

    /**
     * libvirt's {@code <memoryBacking><source type="file"/></memoryBacking>}: QEMU gets a
     * memory-backend-file with share=off.
     */
    public static final String LIBVIRT_FILE = "libvirt-file";
    /**
     * libvirt's {@code <source type="file"/>} with {@code <access mode="shared"/>}: a
     * memory-backend-file with share=on.
     */
    public static final String LIBVIRT_FILE_SHARED = "libvirt-file-shared";

    public GuestMemorySpec {
        Args.notNull(backend, "backend");
        Validate.isTrue((fs != null) == (backend == QemuMemoryBackend.FILE),
                "fs must be given for memory-backend-file and only for it");
        Validate.isTrue(!hugetlb || backend == QemuMemoryBackend.MEMFD,
                "hugetlb=on is an option of memory-backend-memfd only (memory-backend-file uses fs=hugetlbfs)");
    }

    /** Every name the {@code backend} parameter accepts: QEMU's, then the libvirt aliases. */
    public static List<String> backendNames() {
        List<String> out = new ArrayList<>(Labelled.labels(QemuMemoryBackend.values()));
        out.add(LIBVIRT_FILE);
        out.add(LIBVIRT_FILE_SHARED);
        return List.copyOf(out);
    }

    /** The value of {@code share}, {@code fs} and {@code hugetlb} that takes the backend's own default. */
    public static final String DEFAULT = "default";

    /**
     * Parses the way a user types it. Every option may be {@value #DEFAULT}; an option given for a
     * backend that has no such property is refused, as QEMU refuses a property its backend object
     * does not have ({@code mem-path} belongs to memory-backend-file, {@code hugetlb} to
     * memory-backend-memfd).
     *
     * @param backend a QEMU backend name or a libvirt alias ({@link #backendNames()})
     * @param share   {@code default}, {@code on} or {@code off}; {@code default} takes the backend's
     *                default (or the alias's); an explicit value contradicting a libvirt alias is refused
     * @param fs      {@code default} (ext4 for file backends) or mem-path's filesystem
     *                ({@link MemPathFs} labels), file backends only
     * @param hugetlb {@code default} (off), {@code on} or {@code off}, memory-backend-memfd only
     * @throws IllegalArgumentException naming the bad parameter and what is allowed
     */
    public static GuestMemorySpec parse(String backend, String share, String fs, String hugetlb) {
        QemuMemoryBackend b = Labelled.byLabel(QemuMemoryBackend.values(), backend);
        Boolean aliasShare = null;
        if (LIBVIRT_FILE.equals(backend)) {
            b = QemuMemoryBackend.FILE;
            aliasShare = false;
        } else if (LIBVIRT_FILE_SHARED.equals(backend)) {
            b = QemuMemoryBackend.FILE;
            aliasShare = true;
        }
        if (b == null) {
            throw new IllegalArgumentException("backend must be one of " + backendNames() + ", was '" + backend + "'");
        }
        boolean s = switch (String.valueOf(share)) {
            case DEFAULT -> aliasShare != null ? aliasShare : b.defaultShare();
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("share must be one of [default, on, off], was '" + share + "'");
        };
        if (aliasShare != null && !share.equals(DEFAULT) && s != aliasShare) {
            throw new IllegalArgumentException("share=" + share + " contradicts backend " + backend + " (which is share="
                    + (aliasShare ? "on" : "off") + "; use " + (s ? LIBVIRT_FILE_SHARED : LIBVIRT_FILE) + ")");
        }
        boolean h = switch (String.valueOf(hugetlb)) {
            case DEFAULT, "off" -> false;
            case "on" -> true;
            default -> throw new IllegalArgumentException("hugetlb must be one of [default, off, on], was '" + hugetlb
                    + "'");
        };
        if (!hugetlb.equals(DEFAULT) && b != QemuMemoryBackend.MEMFD) {
            throw new IllegalArgumentException("hugetlb=" + hugetlb + " is an option of memory-backend-memfd only, not of "
                    + backend + (b == QemuMemoryBackend.FILE ? " (for a file use fs=hugetlbfs)" : ""));
        }
        MemPathFs f = DEFAULT.equals(fs) ? MemPathFs.EXT4 : Labelled.byLabel(MemPathFs.values(), fs);
        if (f == null) {
            throw new IllegalArgumentException("fs must be one of " + fsNames() + ", was '" + fs + "'");
        }
        if (!fs.equals(DEFAULT) && b != QemuMemoryBackend.FILE) {
            throw new IllegalArgumentException("fs=" + fs + " means nothing for backend " + backend + ": fs is the "
                    + "filesystem of mem-path, which only memory-backend-file (and " + LIBVIRT_FILE + ", "
                    + LIBVIRT_FILE_SHARED + ") has");
        }
        return new GuestMemorySpec(b, s, b == QemuMemoryBackend.FILE ? f : null, h);
    }

    /** What {@code fs} accepts: {@value #DEFAULT}, then the filesystems. */
    public static List<String> fsNames() {
        List<String> out = new ArrayList<>(List.of(DEFAULT));
        out.addAll(Labelled.labels(MemPathFs.values()));
        return List.copyOf(out);
    }

    /** The model's backing of the mapping QEMU makes. */
    public Backing backing() {
        return switch (backend) {
            case RAM -> Backing.ANON;
            case MEMFD -> hugetlb ? Backing.MEMFD_HUGETLB : Backing.MEMFD;
            case FILE -> fs.backing();
        };
    }

    /**
     * There is a file behind guest RAM that {@code ftruncate()} can shrink: memory-backend-file
     * (a file at mem-path) or memory-backend-memfd (an unlinked shmem or hugetlbfs file); not
     * memory-backend-ram, which is anonymous memory (MAP_SHARED|MAP_ANONYMOUS with share=on is
     * shmem underneath, but QEMU holds no file descriptor of it).
     */
    public boolean hasFile() {
        return backend != QemuMemoryBackend.RAM;
    }

    /**
     * The QEMU option string, e.g. {@code memory-backend-file,mem-path=<ext4>,share=on} or
     * {@code memory-backend-memfd,hugetlb=on,share=on}.
     */
    public String qemuOption() {
        StringBuilder sb = new StringBuilder(backend.label());
        if (fs != null) {
            sb.append(",mem-path=<").append(fs.label()).append('>');
        }
        if (hugetlb) {
            sb.append(",hugetlb=on");
        }
        return sb.append(",share=").append(share ? "on" : "off").toString();
    }

    @Override
    public String toString() {
        return qemuOption();
    }
}
