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
import org.gupsim.sched.Access;
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
        Trace t = new Trace(List.of("CPU0", "CPU1"), rows, "0,1",
                new Violation(ViolationKind.USE_AFTER_FREE, "double free of folio(pfn=5)"), 2, null);
        assertEquals(new TraceMarks(2, 1), TraceMarks.of(t));
    }

    @Test
    void marksFallBackToTheFunctionTheMessageNames() {
        List<TraceRow> rows = List.of(
                new TraceRow(1, 1, "i_callback", Access.FREE, "mapping(inode 7)", null),
                new TraceRow(2, 0, "folio_mapping", Access.READ, "folio(pfn=5)", null));
        Trace t = new Trace(List.of("CPU0", "CPU1"), rows, "1,0",
                new Violation(ViolationKind.USE_AFTER_FREE,
                        "folio_mapping dereferenced the address space of inode 7, freed by i_callback"), 2, null);
        assertEquals(new TraceMarks(2, 1), TraceMarks.of(t));
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
    void textIsEscapedAndLongTextCut() throws Exception {
        String weird = "obj<\"a\" & 'b'>" + "x".repeat(80);
        Trace t = new Trace(List.of("CPU<0>"), List.of(new TraceRow(1, 0, "f&g", Access.WRITE, weird, null)), "0",
                null, 0, "done");
        String svg = TraceSwimlane.render(t, "w");
        Document d = parse(svg);
        assertEquals("CPU<0>", byClass(d, "g", "lane").get(0).getAttribute("data-thread"));
        Element step = byId(d, "w-s1");
        String shown = step.getElementsByTagName("text").item(0).getTextContent();
        assertEquals(TraceSwimlane.MAX_CHARS, shown.length());
        assertTrue(shown.startsWith("f&g: WRITE obj<\"a\" & 'b'>x"));
        assertTrue(shown.endsWith("\u2026"));
        assertEquals("f&g: WRITE " + weird, step.getElementsByTagName("title").item(0).getTextContent());
        assertTrue(byClass(d, "g", "fault").isEmpty());
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
