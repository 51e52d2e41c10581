package org.gupsim.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.gupsim.kernel.Patch;
import org.gupsim.mm.Errno;
import org.gupsim.report.Json;

/**
 * What {@code gupsim pin} found: the call's outcome and what teardown found left over.
 *
 * @param request    what was asked
 * @param flags      the FOLL_ flags actually passed to the API, kernel-style
 * @param pinned     pages left pinned (or gotten) by the call, before the release
 * @param fastPinned pages the lockless fast path took
 * @param errno      the error, or null if the call did not fail with one
 * @param path       which paths ran: {@code none}, {@code fast}, {@code fast+slow}, {@code slow}
 * @param reason     why the call stopped short or the fast path gave up; null if neither
 * @param note       a remark on the flags when the API chose its own; null otherwise
 * @param leaks      violations found by the accounting check and teardown
 */
record PinReport(PinRequest request, String flags, int pinned, int fastPinned, Errno errno, String path,
                 String reason, String note, List<String> leaks) {
    PinReport {
        leaks = List.copyOf(leaks);
    }

    /** Base pages asked for. */
    int requested() {
        return request.basePages();
    }

    /** {@code pinned} when any page was taken, {@code failed} otherwise. */
    String result() {
        return pinned > 0 ? "pinned" : "failed";
    }

    /**
     * One line for people: {@code pinned 1/1 pages (fast path)}, {@code got 3/8 pages (fast+slow
     * path; <reason>)}, {@code failed: EFAULT (<reason>)}.
     */
    String humanLine() {
        List<String> detail = new ArrayList<>();
        if (pinned > 0) {
            detail.add(path + " path");
            if (reason != null) {
                detail.add(reason);
            }
        } else {
            detail.add(reason != null ? reason : path + " path");
        }
        if (note != null) {
            detail.add(note);
        }
        String details = " (" + String.join("; ", detail) + ")";
        if (pinned > 0) {
            String verb = request.api().pin() ? "pinned" : "got";
            return verb + " " + pinned + "/" + requested() + " pages" + details;
        }
        return "failed: " + (errno != null ? errno.name() : "no pages " + (request.api().pin() ? "pinned" : "got"))
                + details;
    }

    /** One JSON object, keys in a fixed order. */
    String toJson() {
        PinRequest q = request;
        ObjectNode json = Json.object()
                .put("arch", q.machine().arch().architecture().name())
                .put("variant", q.machine().arch().name())
                .put("kernel", q.machine().kernel().label());
        json.set("patches", Json.strings(q.machine().kernel().patches().stream().map(Patch::name).toList()));
        json.put("backing", q.backing().label())
                .put("map", q.shared() ? "shared" : "private")
                .put("prot", q.readOnly() ? "ro" : "rw")
                .put("api", q.api().label())
                .put("flags", flags)
                .put("pageSize", q.pageSize().label())
                .put("pages", q.pages())
                .put("result", result())
                .put("pinned", pinned)
                .put("requested", requested())
                .put("fastPinned", fastPinned)
                .put("errno", errno == null ? null : errno.name())
                .put("path", path)
                .put("reason", reason)
                .put("note", note);
        json.set("leaks", Json.strings(leaks));
        return Json.line(json);
    }
}
