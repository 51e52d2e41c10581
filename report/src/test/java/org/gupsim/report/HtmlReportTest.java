package org.gupsim.report;

import static org.gupsim.report.TraceSwimlaneTest.byClass;
import static org.gupsim.report.TraceSwimlaneTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.Disagreements;
import org.gupsim.compare.Mechanisms;
import org.gupsim.compare.NumberedTrace;
import org.gupsim.compare.ScenarioSpec;
import org.gupsim.compare.Search;
import org.gupsim.explore.Counterexample;
import org.gupsim.explore.Trace;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.kernel.Patch;
import org.gupsim.tlb.BroadcastFlush;
import org.gupsim.tlb.ImmediateTableFree;
import org.gupsim.tlb.IpiFlush;
import org.gupsim.tlb.RcuTableFree;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    private static final Mechanisms X86 = new Mechanisms(IpiFlush.PROMISE, ImmediateTableFree.PROMISE, 12, 4,
            List.of());
    private static final Mechanisms ARM = new Mechanisms(BroadcastFlush.PROMISE, RcuTableFree.PROMISE, 12, 4,
            List.of());

    /** Two variants × two scenarios: one violation on arm64, one N/A, one disagreement. */
    static ComparisonReport report(Duration wall) {
        ScenarioSpec munmap = new ScenarioSpec("gup-fast-vs-munmap",
                new TreeMap<>(Map.of("backing", "anon", "pages", "1", "table-batch", "ok")));
        ScenarioSpec upgrade = new ScenarioSpec("s390-gup-fast-vs-upgrade",
                new TreeMap<>(Map.of("backing", "anon", "pages", "2", "range", "across")));
        KernelVersion k = KernelVersion.parse("latest");
        List<Patch> m = List.of(KernelCatalogue.get().patch("immediate-table-free"));
        Trace trace = TraceSwimlaneTest.useAfterFree();
        List<CellResult> cells = List.of(
                new CellResult(munmap, "x86_64:native", "x86_64:native", k, m, X86, CellVerdict.SAFE, null, true, -1,
                        412, 3, new TreeMap<>(Map.of("pinned=1", 300L, "pinned=0 errno=EFAULT", 109L)), new TreeMap<>(),
                        null, "SAFE", 0, wall),
                new CellResult(upgrade, "x86_64:native", "x86_64:native", k, m, X86, CellVerdict.NOT_APPLICABLE,
                        "s390 only", false, -1, 0, 0, null, null, null, "N/A", 0, wall),
                new CellResult(munmap, "arm64", "arm64:4k-48", k, m, ARM, CellVerdict.VIOLATION, null, false, -1, 7, 0,
                        new TreeMap<>(Map.of("pinned=1", 6L)), new TreeMap<>(Map.of("USE_AFTER_FREE", 1L)),
                        trace.violation(), "UAF page-table", 1, wall),
                new CellResult(upgrade, "arm64", "arm64:4k-48", k, m, ARM, CellVerdict.NOT_APPLICABLE,
                        "s390 only", false, -1, 0, 0, null, null, null, "N/A", 0, wall));
        NumberedTrace nt = new NumberedTrace(1, 2, new Counterexample(trace.violation(), trace.schedule(), trace),
                "./gupsim replay gup-fast-vs-munmap --schedule " + trace.schedule() + " --arch arm64:4k-48");
        return new ComparisonReport(List.of(munmap, upgrade), List.of("x86_64:native", "arm64"), List.of(k), List.of(m),
                new Search("exhaustive", null, null, -1, 60, 60_000), cells, Disagreements.find(cells), List.of(nt),
                wall.multipliedBy(4));
    }

    @Test
    void theTableHasRowsPerVariantColumnsPerScenarioAndLinksViolationsToTheirTrace() throws Exception {
        Document d = parse(new HtmlReport().render(report(Duration.ofMillis(1234)), true));
        Element table = byClass(d, "table", "verdicts").get(0);
        List<String> heads = texts(table.getElementsByTagName("thead").item(0), "th");
        assertEquals(List.of("variant", "gup-fast-vs-munmap", "s390-gup-fast-vs-upgrade[pages=2]"), heads);
        NodeList rows = ((Element) table.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
        assertEquals(2, rows.getLength());
        assertEquals(List.of("SAFE (412, all)", "N/A"), verdicts(rows.item(0)));
        assertEquals(List.of("UAF page-table (trace #1)", "N/A"), verdicts(rows.item(1)));
        assertEquals(List.of("SAFE (412, all)1.2 s", "N/A"), texts(rows.item(0), "td"));
        assertEquals("arm64:4k-48", ((Element) rows.item(1)).getElementsByTagName("th").item(0).getTextContent());
        Element link = (Element) ((Element) rows.item(1)).getElementsByTagName("a").item(0);
        assertEquals("#trace-1", link.getAttribute("href"));
        Element section = TraceSwimlaneTest.byId(d, "trace-1");
        assertEquals("section", section.getTagName());
        assertEquals(1, byClass(d, "svg", "swimlane").size());
        assertTrue(section.getTextContent().contains("./gupsim replay gup-fast-vs-munmap --schedule 0,1x2,2x2,0x2"));
    }

    @Test
    void theDisagreementNamesTheVariantsAndTheMechanismsThatDiffer() throws Exception {
        Document d = parse(new HtmlReport().render(report(Duration.ZERO), true));
        Element dis = TraceSwimlaneTest.byId(d, "disagreement-1");
        String text = dis.getTextContent();
        assertTrue(text.contains("SAFE on x86_64:native; VIOLATION USE_AFTER_FREE page-table on arm64:4k-48"), text);
        assertTrue(text.contains("differs in flush style: IPI (x86_64:native) vs BROADCAST (arm64:4k-48)"), text);
        assertTrue(text.contains("differs in RCU table freeing: IMMEDIATE (x86_64:native) vs RCU (arm64:4k-48)"), text);
        List<String> differs = byClass(d, "td", "differs").stream().map(Element::getTextContent).toList();
        assertEquals(List.of("IPI", "IMMEDIATE", "BROADCAST", "RCU"), differs);
    }

    @Test
    void everyInternalLinkHasATargetAndIdsAreUnique() throws Exception {
        String html = new HtmlReport().render(report(Duration.ZERO), true);
        Document d = parse(html);
        NodeList all = d.getElementsByTagName("*");
        Set<String> ids = new HashSet<>();
        List<String> hrefs = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttribute("id")) {
                assertTrue(ids.add(e.getAttribute("id")), "duplicate id " + e.getAttribute("id"));
            }
            if (e.hasAttribute("href")) {
                hrefs.add(e.getAttribute("href"));
            }
        }
        assertTrue(hrefs.size() >= 5, "expected links, got " + hrefs);
        for (String h : hrefs) {
            assertTrue(h.startsWith("#") && ids.contains(h.substring(1)), "dangling link " + h);
        }
    }

    @Test
    void thePageIsSelfContained() {
        assertSelfContained(new HtmlReport().render(report(Duration.ofSeconds(3)), true));
    }

    /** No URL with a scheme, no script, no resource loaded from elsewhere; url(...) only to fragments. */
    static void assertSelfContained(String html) {
        String lower = html.toLowerCase(java.util.Locale.ROOT);
        assertFalse(lower.contains("http://"), "http:// in the page");
        assertFalse(lower.contains("https://"), "https:// in the page");
        assertFalse(lower.contains("<script"), "script in the page");
        assertFalse(lower.contains("<link"), "link element in the page");
        assertFalse(lower.contains("<img"), "img element in the page");
        assertFalse(lower.contains("@import"), "@import in the page");
        assertFalse(lower.contains("@font-face"), "@font-face in the page");
        assertFalse(Pattern.compile("\\s(src|xlink:href)=").matcher(lower).find(), "src attribute in the page");
        Matcher url = Pattern.compile("url\\(([^)]*)\\)").matcher(lower);
        while (url.find()) {
            assertTrue(url.group(1).startsWith("#"), "url(" + url.group(1) + ") is not a fragment");
        }
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(lower);
        while (href.find()) {
            assertTrue(href.group(1).startsWith("#"), "href " + href.group(1) + " leaves the page");
        }
    }

    @Test
    void withoutTimingsTheSameReportGivesTheSameBytesAndNoWallTime() {
        String a = new HtmlReport().render(report(Duration.ofMillis(1500)), false);
        String b = new HtmlReport().render(report(Duration.ofMillis(9900)), false);
        assertEquals(a, b);
        assertFalse(a.contains("1.5 s"));
        assertTrue(new HtmlReport().render(report(Duration.ofMillis(1500)), true).contains("wall time 6.0 s in all"));
    }

    @Test
    void aReportWithoutViolationsSaysSo() throws Exception {
        ComparisonReport full = report(Duration.ZERO);
        ComparisonReport quiet = new ComparisonReport(full.scenarios(), List.of("x86_64:native"), full.kernels(),
                full.patchSets(), full.search(),
                full.cells().subList(0, 2), List.of(), List.of(), Duration.ZERO);
        String html = new HtmlReport().render(quiet, true);
        parse(html);
        assertTrue(html.contains("No cell found a violation."));
        assertTrue(html.contains("No disagreements"));
        assertFalse(html.contains("<svg"));
    }

    private static List<String> verdicts(org.w3c.dom.Node row) {
        List<String> out = new ArrayList<>();
        NodeList tds = ((Element) row).getElementsByTagName("td");
        for (int i = 0; i < tds.getLength(); i++) {
            out.add(byClass((Element) tds.item(i), "span", "verdict").get(0).getTextContent());
        }
        return out;
    }

    private static List<String> texts(org.w3c.dom.Node parent, String tag) {
        NodeList nl = ((Element) parent).getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            out.add(nl.item(i).getTextContent());
        }
        return out;
    }
}
