package org.gupsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gupsim.explore.Trace;
import org.gupsim.explore.TraceRow;
import org.gupsim.kernel.Release;
import org.gupsim.sched.Access;
import org.gupsim.sched.StepMeaning;
import org.gupsim.sched.Violation;
import org.gupsim.sched.ViolationKind;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TraceSwimlaneTest {

    /** CPU0 walks, CPU1 unmaps, RCU frees the table, CPU0 touches it again. */
    static Trace useAfterFree() {
        List<TraceRow> rows = List.of(
                new TraceRow(1, 0, "gup_fast_pte_range", Access.READ, "pte table @0x4000[511]", null),
                new TraceRow(2, 1, "pmd_clear", Access.WRITE, "pmd table @0x3000[511]", null),
                new TraceRow(3, 1, "free_unref_folios", Access.FREE, "folio(pfn=5)", null),
                new TraceRow(4, 2, "tlb_remove_table_rcu", Access.FREE, "pte table @0x4000", null),
                new TraceRow(5, 2, "tlb_remove_table_rcu", Access.FREE, "pmd table @0x3000", null),
                new TraceRow(6, 0, "gup_fast_pte_range", Access.READ, "pte table @0x4000[511]", null),
                new TraceRow(7, 0, "rcu_read_unlock", Access.RELEASE, "rcu[0]", null));
        return new Trace(List.of("CPU0", "CPU1", "RCU"), rows, "0,1x2,2x2,0x2",
                Violation.useAfterFree(Violation.PAGE_TABLE,
                        "gup_fast_pte_range touched entry 511 of pte table @0x4000, freed by tlb_remove_table_rcu"),
                6, null);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> byClass(Document d, String tag, String cls) {
        return byClass(d.getDocumentElement(), tag, cls);
    }

    static List<Element> byClass(Element root, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = root.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element byId(Document d, String id) {
        NodeList all = d.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    @Test
    void marksPairTheFaultWithTheFreeOfTheSameTableNotTheLastFree() {
        assertEquals(new TraceMarks(6, 4), TraceMarks.of(useAfterFree()));
    }

    @Test
    void marksOfADoubleFreePointAtTheFirstFree() {
        List<TraceRow> rows = List.of(
                new TraceRow(1, 0, "free_unref_folios", Access.FREE, "folio(pfn=5)", null),
                new TraceRow(2, 1, "free_unref_folios", Access.FREE, "folio(pfn=5)", null));
        assertEquals(new TraceMarks(2, 1),
                TraceMarks.of(twoCpuUseAfterFree(rows, "0,1", "double free of folio(pfn=5)")));
    }

    @Test
    void marksFallBackToTheFunctionTheMessageNames() {
        List<TraceRow> rows = List.of(
                new TraceRow(1, 1, "i_callback", Access.FREE, "mapping(inode 7)", null),
                new TraceRow(2, 0, "folio_mapping", Access.READ, "folio(pfn=5)", null));
        assertEquals(new TraceMarks(2, 1), TraceMarks.of(twoCpuUseAfterFree(rows, "1,0",
                "folio_mapping dereferenced the address space of inode 7, freed by i_callback")));
    }

    /** A use-after-free found at the second of two steps on CPU0 and CPU1. */
    private static Trace twoCpuUseAfterFree(List<TraceRow> rows, String schedule, String message) {
        return new Trace(List.of("CPU0", "CPU1"), rows, schedule, new Violation(ViolationKind.USE_AFTER_FREE, message),
                2, null);
    }

    @Test
    void marksAreZeroWithoutAViolationStepOrAFree() {
        Trace safe = new Trace(List.of("CPU0"), List.of(new TraceRow(1, 0, "f", Access.READ, "x", null)), "0",
                null, 0, "pinned=1");
        assertEquals(new TraceMarks(0, 0), TraceMarks.of(safe));
        Trace deadlock = new Trace(List.of("CPU0"), List.of(new TraceRow(1, 0, "f", Access.READ, "x", null)), "0",
                new Violation(ViolationKind.DEADLOCK, "stuck"), 0, null);
        assertEquals(new TraceMarks(0, 0), TraceMarks.of(deadlock));
        Trace noFree = new Trace(List.of("CPU0"), List.of(new TraceRow(1, 0, "f", Access.RMW, "folio(pfn=1)", null)),
                "0", new Violation(ViolationKind.REFCOUNT_UNDERFLOW, "below zero"), 1, null);
        assertEquals(new TraceMarks(1, 0), TraceMarks.of(noFree));
    }

    @Test
    void oneLanePerThreadEachStepInItsLaneInOrder() throws Exception {
        Trace trace = useAfterFree();
        Document d = parse(TraceSwimlane.render(trace, "t1"));
        List<Element> lanes = byClass(d, "g", "lane");
        assertEquals(List.of("CPU0", "CPU1", "RCU"), lanes.stream().map(e -> e.getAttribute("data-thread")).toList());
        for (int t = 0; t < lanes.size(); t++) {
            List<String> steps = new ArrayList<>();
            NodeList gs = lanes.get(t).getElementsByTagName("g");
            for (int i = 0; i < gs.getLength(); i++) {
                steps.add(((Element) gs.item(i)).getAttribute("data-step"));
            }
            int thread = t;
            assertEquals(trace.rows().stream().filter(r -> r.thread() == thread)
                    .map(r -> Integer.toString(r.step())).toList(), steps);
        }
        Element s4 = byId(d, "t1-s4");
        assertNotNull(s4);
        assertEquals("tlb_remove_table_rcu: FREE pte table @0x4000",
                s4.getElementsByTagName("text").item(0).getTextContent());
        // steps go down the page in order
        int prevY = -1;
        for (TraceRow r : trace.rows()) {
            Element rect = (Element) byId(d, "t1-s" + r.step()).getElementsByTagName("rect").item(0);
            int y = Integer.parseInt(rect.getAttribute("y"));
            assertTrue(y > prevY, "step " + r.step() + " is not below the one before");
            prevY = y;
        }
    }

    @Test
    void faultAndFreeAreHighlightedAndLinkToEachOther() throws Exception {
        Document d = parse(TraceSwimlane.render(useAfterFree(), "t1"));
        List<Element> faults = byClass(d, "g", "fault");
        List<Element> frees = byClass(d, "g", "free");
        assertEquals(List.of("t1-s6"), faults.stream().map(e -> e.getAttribute("id")).toList());
        assertEquals(List.of("t1-s4"), frees.stream().map(e -> e.getAttribute("id")).toList());
        Element toFree = (Element) faults.get(0).getParentNode();
        Element toFault = (Element) frees.get(0).getParentNode();
        assertEquals("a", toFree.getTagName());
        assertEquals("#t1-s4", toFree.getAttribute("href"));
        assertEquals("#t1-s6", toFault.getAttribute("href"));
        assertTrue(faults.get(0).getElementsByTagName("title").item(0).getTextContent()
                .contains("<== USE_AFTER_FREE: gup_fast_pte_range touched entry 511"));
        assertNotNull(byId(d, "t1-free-to-fault"));
        assertEquals("url(#t1-arrow)", byId(d, "t1-free-to-fault").getAttribute("marker-end"));
        assertNotNull(byId(d, "t1-arrow"));
    }

    @Test
    void textIsEscapedAndLongTextWrappedNotCut() throws Exception {
        String weird = "obj<\"a\" & 'b'>" + "x".repeat(80);
        String file = "address_space(tmpfs:memfd:gupsim-scenario-longterm-pin-of-a-shared-memfd)";
        Trace t = new Trace(List.of("CPU<0>"), List.of(new TraceRow(1, 0, "f&g", Access.WRITE, weird, null),
                new TraceRow(2, 0, "filemap_get_folio", Access.READ, file, null)), "0x2", null, 0, "done");
        String svg = TraceSwimlane.render(t, "w");
        Document d = parse(svg);
        assertEquals("CPU<0>", byClass(d, "g", "lane").get(0).getAttribute("data-thread"));
        Element step = byId(d, "w-s1");
        // the whole text is shown, over two lines, and nothing is cut
        assertEquals("f&g: WRITE " + weird, step.getElementsByTagName("text").item(0).getTextContent());
        NodeList lines = step.getElementsByTagName("tspan");
        assertEquals(2, lines.getLength());
        for (int i = 0; i < lines.getLength(); i++) {
            assertTrue(lines.item(i).getTextContent().length() <= TraceSwimlane.MAX_CHARS);
        }
        assertEquals("f&g: WRITE " + weird, step.getElementsByTagName("title").item(0).getTextContent());
        // a lane label is broken where a reader would break it, not mid-word
        Element s2 = byId(d, "w-s2");
        assertEquals("filemap_get_folio: READ " + file, s2.getElementsByTagName("text").item(0).getTextContent());
        assertEquals("filemap_get_folio: READ address_space(tmpfs:memfd:",
                s2.getElementsByTagName("tspan").item(0).getTextContent());
        // the taller box pushes the next row down
        int y1 = Integer.parseInt(((Element) step.getElementsByTagName("rect").item(0)).getAttribute("y"));
        int h1 = Integer.parseInt(((Element) step.getElementsByTagName("rect").item(0)).getAttribute("height"));
        int y2 = Integer.parseInt(((Element) s2.getElementsByTagName("rect").item(0)).getAttribute("y"));
        assertTrue(y2 > y1 + h1, "step 2 at " + y2 + " overlaps step 1 (" + y1 + "+" + h1 + ")");
        assertTrue(byClass(d, "g", "fault").isEmpty());
    }

    @Test
    void onlyATextLongerThanMaxLinesIsCut() {
        String huge = "y".repeat(TraceSwimlane.MAX_CHARS * TraceSwimlane.MAX_LINES + 10);
        List<String> lines = TraceSwimlane.wrap(huge);
        assertEquals(TraceSwimlane.MAX_LINES, lines.size());
        assertTrue(lines.get(lines.size() - 1).endsWith("\u2026"));
        String fits = "z".repeat(TraceSwimlane.MAX_CHARS * TraceSwimlane.MAX_LINES);
        assertEquals(fits, String.join("", TraceSwimlane.wrap(fits)));
    }

    /** CPU0 turns IRQs off over steps 1..6; CPU1 queues a callback at 3 whose grace period the RCU thread sees over at 5. */
    static Trace withSections() {
        List<TraceRow> rows = List.of(
                new TraceRow(1, 0, "local_irq_save", Access.ACQUIRE, "rcu[0]", null,
                        StepMeaning.begins("IRQs off", "IRQs off, holding off RCU-sched grace periods")),
                new TraceRow(2, 0, "gup_fast_pte_range", Access.READ, "pte table @0x4000[511]", null),
                new TraceRow(3, 1, "call_rcu", Access.WRITE, "rcu", null,
                        StepMeaning.begins(StepMeaning.GRACE_PERIOD, "queues a callback for after a grace period")),
                new TraceRow(4, 1, "rcu_read_lock", Access.ACQUIRE, "rcu[1]", null,
                        StepMeaning.begins("RCU read side", "RCU read-side section begins")),
                new TraceRow(5, 2, "rcu_gp_wait", Access.READ, "rcu", null,
                        StepMeaning.ends(StepMeaning.GRACE_PERIOD, "grace period over")),
                new TraceRow(6, 0, "local_irq_restore", Access.RELEASE, "rcu[0]", null,
                        StepMeaning.ends("IRQs off", "IRQs on again")),
                new TraceRow(7, 0, "wait", null, "a page", null));
        return new Trace(List.of("CPU0", "CPU1", "RCU"), rows, "0x2,1x2,2,0x2", null, 0, "done");
    }

    @Test
    void sectionsPairEachBeginWithItsEndPerThreadAndGracePeriodsAcrossThreads() {
        assertEquals(List.of(new TraceSections.Extent("IRQs off", 0, 0, 5, false),
                        new TraceSections.Extent(StepMeaning.GRACE_PERIOD, 1, 2, 4, false),
                        new TraceSections.Extent("RCU read side", 1, 3, 6, true)),
                TraceSections.of(withSections()).extents());
        assertEquals(List.of("IRQs off", "RCU read side", "grace period"), TraceSections.of(withSections()).names());
        assertEquals("sec-irqs-off", TraceSections.cssClass("IRQs off"));
        assertTrue(TraceSections.of(useAfterFree()).extents().isEmpty());
    }

    @Test
    void sectionsAreShadedAlongTheirLaneAndGracePeriodsAcrossAllLanes() throws Exception {
        Document d = parse(TraceSwimlane.render(withSections(), "k"));
        Element irqs = byId(d, "k-lane-0-sec-1");
        assertEquals("IRQs off", irqs.getAttribute("data-section"));
        assertEquals("1", irqs.getAttribute("data-from"));
        assertEquals("6", irqs.getAttribute("data-to"));
        Element shade = byClass(irqs, "rect", "section").get(0);
        assertTrue(shade.getAttribute("class").contains("sec-irqs-off"));
        int top = Integer.parseInt(shade.getAttribute("y"));
        int bottom = top + Integer.parseInt(shade.getAttribute("height"));
        Element first = (Element) byId(d, "k-s1").getElementsByTagName("rect").item(0);
        Element last = (Element) byId(d, "k-s6").getElementsByTagName("rect").item(0);
        Element after = (Element) byId(d, "k-s7").getElementsByTagName("rect").item(0);
        assertTrue(top <= Integer.parseInt(first.getAttribute("y")));
        assertTrue(bottom >= Integer.parseInt(last.getAttribute("y")) + Integer.parseInt(last.getAttribute("height")));
        assertTrue(bottom <= Integer.parseInt(after.getAttribute("y")), "the section reaches past its end");
        // the shade lies inside CPU0's lane
        Element lane0 = byClass(byId(d, "k-lane-0"), "rect", "lane-bg").get(0);
        int lx = Integer.parseInt(lane0.getAttribute("x"));
        assertTrue(Integer.parseInt(shade.getAttribute("x")) >= lx && Integer.parseInt(shade.getAttribute("x"))
                + Integer.parseInt(shade.getAttribute("width")) <= lx + Integer.parseInt(lane0.getAttribute("width")));
        // CPU1's read-side section never ends: it reaches the bottom, marked open
        Element open = byId(d, "k-lane-1-sec-1");
        assertEquals("RCU read side", open.getAttribute("data-section"));
        assertEquals("", open.getAttribute("data-to"));
        assertTrue(byClass(open, "rect", "section").get(0).getAttribute("class").contains("open"));
        // the grace period spans every lane from call_rcu to rcu_gp_wait
        Element gp = byId(d, "k-gp-1");
        assertEquals("3", gp.getAttribute("data-from"));
        assertEquals("5", gp.getAttribute("data-to"));
        Element band = byClass(gp, "rect", "grace-period").get(0);
        Element lane2 = byClass(byId(d, "k-lane-2"), "rect", "lane-bg").get(0);
        assertTrue(Integer.parseInt(band.getAttribute("x")) <= lx);
        assertTrue(Integer.parseInt(band.getAttribute("x")) + Integer.parseInt(band.getAttribute("width"))
                >= Integer.parseInt(lane2.getAttribute("x")) + Integer.parseInt(lane2.getAttribute("width")));
        assertTrue(gp.getElementsByTagName("title").item(0).getTextContent().contains("over at step 5"));
    }

    @Test
    void functionNamesLinkToTheirSourceExceptInBoxesThatAreLinksAlready() throws Exception {
        KernelSource v65 = new KernelSource(Release.parse("6.5"));
        Document d = parse(TraceSwimlane.render(withSections(), "k", v65));
        Element a = (Element) byId(d, "k-s2").getElementsByTagName("a").item(0);
        assertEquals("https://elixir.bootlin.com/linux/v6.5/C/ident/gup_fast_pte_range", a.getAttribute("href"));
        assertEquals("gup_fast_pte_range", a.getTextContent());
        assertEquals(0, byId(d, "k-s7").getElementsByTagName("a").getLength(), "'wait' is no kernel function");
        assertEquals(0, byId(d, "k-s5").getElementsByTagName("a").getLength(), "rcu_gp_wait is the model's name");
        Document uaf = parse(TraceSwimlane.render(useAfterFree(), "u", v65));
        assertEquals(0, byId(uaf, "u-s6").getElementsByTagName("a").getLength(), "the fault box links to the free");
        assertEquals(1, byId(uaf, "u-s1").getElementsByTagName("a").getLength());
        assertEquals(0, parse(TraceSwimlane.render(withSections(), "k")).getElementsByTagName("a").getLength());
        // a step about part of a function links the function
        assertEquals("gup_fast_pte_range", KernelSource.identifier("gup_fast_pte_range(recheck pmd)").orElseThrow());
        assertEquals("READ_ONCE", KernelSource.identifier("READ_ONCE(folio->mapping)").orElseThrow());
        assertTrue(KernelSource.identifier("wait").isEmpty());
        assertTrue(KernelSource.identifier("a b").isEmpty());
    }

    @Test
    void theDiagramScalesToThePageFromItsViewBox() throws Exception {
        Element svg = parse(TraceSwimlane.render(useAfterFree(), "t1")).getDocumentElement();
        assertEquals("100%", svg.getAttribute("width"));
        assertEquals("", svg.getAttribute("height"), "a fixed height would letterbox the scaled drawing");
        String[] box = svg.getAttribute("viewBox").split(" ");
        int width = Integer.parseInt(box[2]);
        // every lane lies inside the box, so scaling the box down never cuts a lane off
        for (Element bg : byClass(parse(TraceSwimlane.render(useAfterFree(), "t1")), "rect", "lane-bg")) {
            assertTrue(Integer.parseInt(bg.getAttribute("x")) + Integer.parseInt(bg.getAttribute("width")) <= width);
        }
        assertEquals("max-width: " + width + "px; min-width: " + width * 3 / 4 + "px", svg.getAttribute("style"));
    }

    @Test
    void sameTraceSameBytes() {
        assertEquals(TraceSwimlane.render(useAfterFree(), "a"), TraceSwimlane.render(useAfterFree(), "a"));
    }

    @Test
    void badPrefixIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceSwimlane.render(useAfterFree(), "1 bad\""));
        assertTrue(e.getMessage().contains("idPrefix"));
        assertFalse(assertThrows(IllegalArgumentException.class, () -> TraceSwimlane.render(null, "a"))
                .getMessage().isEmpty());
    }
}
