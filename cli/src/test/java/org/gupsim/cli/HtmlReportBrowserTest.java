package org.gupsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gupsim.compare.CellResult;
import org.gupsim.compare.CellVerdict;
import org.gupsim.compare.Comparison;
import org.gupsim.compare.ComparisonReport;
import org.gupsim.compare.NumberedTrace;
import org.gupsim.explore.Trace;
import org.gupsim.gup.KernelVersion;
import org.gupsim.kernel.KernelCatalogue;
import org.gupsim.report.HtmlReport;
import org.gupsim.report.TraceMarks;
import org.gupsim.report.TraceSwimlane;
import org.gupsim.smp.SmpPatches;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens the HTML report of a real comparison in a real headless Chromium: the verdict table shows
 * the model's cells, the swimlane of the violation renders with one lane per thread, the fault and
 * the freeing step are highlighted and link to each other, and a screenshot can be taken. Skipped
 * where Chromium or chromedriver is missing (see {@link HeadlessChromium}).
 *
 * <p>The comparison: {@code gup-fast-vs-munmap} and {@code gup-fast-vs-evict} on {@code x86_64:native}
 * and {@code arm64}, kernel 6.10, with the {@code immediate-table-free} mutant, where x86's IPI flush still
 * waits for the IRQ-off walker but arm64's broadcast TLBI does not, so arm64 frees the PTE table
 * under it.
 */
class HtmlReportBrowserTest {

    private static final Path DIR = Path.of("target", "html-report");
    /** Held so the level sticks: Selenium warns that it has no DevTools bindings for this Chromium, which we do not use. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    private static ComparisonReport report;
    private static Path page;
    private static ChromeDriver chrome;

    @BeforeAll
    static void renderAndOpen() throws Exception {
        SELENIUM_LOG.setLevel(Level.SEVERE);
        report = Comparison.builder()
                .scenario("gup-fast-vs-munmap")
                .scenario("gup-fast-vs-evict")
                .arch("x86_64:native")
                .arch("arm64")
                .kernel(KernelVersion.V6_10) // the last kernel with x86_64:native
                .patches(KernelCatalogue.get().patch("immediate-table-free"))
                .build()
                .run();
        Files.createDirectories(DIR);
        page = DIR.resolve("compare.html");
        Files.writeString(page, new HtmlReport().render(report, true), StandardCharsets.UTF_8);
        chrome = HeadlessChromium.start(DIR.resolve("chromedriver.log"), DIR.resolve("chromium-profile"));
        open(page);
    }

    private static void open(Path file) {
        chrome.get(file.toUri().toString());
        new WebDriverWait(chrome, Duration.ofSeconds(30)).until(
                d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    @AfterAll
    static void quit() {
        if (chrome != null) {
            chrome.quit();
        }
    }

    /** The violation the page must show: arm64's use-after-free of the PTE table in gup-fast-vs-munmap. */
    private static NumberedTrace armTrace() {
        CellResult arm = report.cell("gup-fast-vs-munmap", "arm64");
        assertEquals(CellVerdict.VIOLATION, arm.verdict(), "the comparison behind the page changed: " + arm.text());
        return report.trace(arm.trace());
    }

    @Test
    void theTableShowsEveryCellOfTheModel() {
        List<WebElement> tables = chrome.findElements(By.cssSelector("table.verdicts"));
        assertEquals(1, tables.size());
        assertTrue(tables.get(0).isDisplayed());
        List<String> heads = tables.get(0).findElements(By.cssSelector("thead th")).stream().map(WebElement::getText)
                .toList();
        assertEquals(List.of("variant", "gup-fast-vs-munmap", "gup-fast-vs-evict"), heads);
        List<WebElement> rows = tables.get(0).findElements(By.cssSelector("tbody tr"));
        assertEquals(2, rows.size());
        assertEquals("x86_64:native", rows.get(0).findElement(By.tagName("th")).getText());
        assertEquals("arm64:4k-48", rows.get(1).findElement(By.tagName("th")).getText());
        for (int i = 0; i < report.cells().size(); i++) {
            WebElement td = chrome.findElement(By.id(HtmlReport.cellId(i)));
            assertTrue(td.isDisplayed());
            assertEquals(report.cells().get(i).text(), td.findElement(By.className("verdict")).getText());
        }
        CellResult x86 = report.cell("gup-fast-vs-munmap", "x86_64:native");
        assertEquals(CellVerdict.SAFE, x86.verdict());
        assertTrue(x86.text().matches("SAFE \\(\\d+, all\\)"), x86.text());
        assertTrue(report.cell("gup-fast-vs-munmap", "arm64").text().matches(".* \\(trace #\\d+\\)"));
        // a violation cell is coloured differently from a safe one
        String safeBg = chrome.findElement(By.id(HtmlReport.cellId(report.cells().indexOf(x86)))).getCssValue("background-color");
        String violBg = chrome.findElement(By.id(HtmlReport.cellId(armTrace().cell()))).getCssValue("background-color");
        assertNotEquals(safeBg, violBg);
    }

    @Test
    void theCellLinksToItsTrace() {
        NumberedTrace t = armTrace();
        chrome.findElement(By.cssSelector("#" + HtmlReport.cellId(t.cell()) + " a")).click();
        assertEquals("#" + HtmlReport.traceId(t.number()), hash());
        assertInViewport(chrome.findElement(By.id(HtmlReport.traceId(t.number()))).findElement(By.tagName("h3")));
    }

    @Test
    void theSwimlaneRendersOneLanePerThread() {
        NumberedTrace t = armTrace();
        Trace trace = t.trace();
        WebElement svg = chrome.findElement(By.cssSelector("#" + HtmlReport.traceId(t.number()) + " svg.swimlane"));
        Rectangle box = svg.getRect();
        assertTrue(box.getWidth() > 300 && box.getHeight() > 200, "svg box " + box.getDimension());
        List<WebElement> lanes = svg.findElements(By.cssSelector("g.lane"));
        assertEquals(trace.threads().size(), lanes.size());
        for (int i = 0; i < lanes.size(); i++) {
            assertEquals(trace.threads().get(i), lanes.get(i).getDomAttribute("data-thread"));
            Rectangle lane = lanes.get(i).findElement(By.cssSelector("rect.lane-bg")).getRect();
            assertTrue(lane.getWidth() > 0 && lane.getHeight() > 0, "lane " + i + " has an empty box");
        }
        assertEquals(trace.rows().size(), svg.findElements(By.cssSelector("g.step")).size());
        // lanes sit side by side, left to right in thread order
        int x0 = lanes.get(0).getRect().getX();
        int x1 = lanes.get(1).getRect().getX();
        assertTrue(x1 > x0, "lane 1 at " + x1 + " is not right of lane 0 at " + x0);
    }

    @Test
    void faultAndFreeAreHighlightedAndLinkToEachOther() {
        NumberedTrace t = armTrace();
        String prefix = HtmlReport.traceId(t.number());
        TraceMarks marks = TraceMarks.of(t.trace());
        assertTrue(marks.faultStep() > 0 && marks.freeStep() > 0 && marks.freeStep() < marks.faultStep(),
                marks.toString());
        WebElement fault = chrome.findElement(By.id(TraceSwimlane.stepId(prefix, marks.faultStep())));
        WebElement free = chrome.findElement(By.id(TraceSwimlane.stepId(prefix, marks.freeStep())));
        assertTrue(fault.getDomAttribute("class").contains("fault"));
        assertTrue(free.getDomAttribute("class").contains("free"));
        assertTrue(fault.getText().contains("pte table"), fault.getText());
        assertTrue(free.getText().contains("FREE pte table"), free.getText());
        String plainFill = chrome.findElement(By.cssSelector("#" + prefix + "-svg g.step.acc-read rect")).getCssValue("fill");
        assertNotEquals(plainFill, fault.findElement(By.tagName("rect")).getCssValue("fill"));
        assertNotEquals(plainFill, free.findElement(By.tagName("rect")).getCssValue("fill"));
        assertTrue(chrome.findElement(By.id(prefix + "-free-to-fault")).getRect().getHeight() > 0);

        chrome.findElement(By.cssSelector("#" + prefix + "-svg a.to-free")).click();
        assertEquals("#" + TraceSwimlane.stepId(prefix, marks.freeStep()), hash());
        assertInViewport(free);
        chrome.findElement(By.cssSelector("#" + prefix + "-svg a.to-fault")).click();
        assertEquals("#" + TraceSwimlane.stepId(prefix, marks.faultStep()), hash());
        assertInViewport(fault);
    }

    @Test
    void aScreenshotShowsThePage() throws Exception {
        JavascriptExecutor js = chrome;
        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
        Dimension before = chrome.manage().window().getSize();
        try {
            // Chromium captures only what is in the window: make it as tall as the page
            chrome.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 100, 12_000)));
            js.executeScript("window.scrollTo(0, 0)");
            Path shot = DIR.resolve("compare.png");
            Files.write(shot, chrome.getScreenshotAs(OutputType.BYTES));
            assertPicture(shot, 1000, 1000);
            NumberedTrace t = armTrace();
            WebElement svg = chrome.findElement(By.cssSelector("#" + HtmlReport.traceId(t.number()) + " svg.swimlane"));
            Path lane = DIR.resolve("swimlane.png");
            Files.write(lane, svg.getScreenshotAs(OutputType.BYTES));
            assertPicture(lane, 300, svg.getRect().getHeight() - 2);
        } finally {
            chrome.manage().window().setSize(before);
        }
    }

    @Test
    void aLongTraceScalesToTheWindowWithEveryLaneInSight() throws Exception {
        // gup-fast-vs-evict on 6.5 with split RCU flavours: arm64's trace has three wide lanes
        // (CPU0, CPU1 evicting the page cache, the RCU thread), wider than the 1400 px window.
        ComparisonReport evict = Comparison.builder().scenario("gup-fast-vs-evict").arch("arm64")
                .kernel("6.5").patches(SmpPatches.SPLIT_RCU_FLAVORS).build().run();
        String svgText = TraceSwimlane.render(evict.trace(1).trace(), "x");
        int natural = Integer.parseInt(svgText.replaceAll("(?s).*?viewBox=\"0 0 (\\d+) .*", "$1"));
        long window = ((Number) chrome.executeScript("return window.innerWidth")).longValue();
        assertTrue(natural > window, "the trace is " + natural + " px wide, no wider than the window: no test");
        Path longPage = DIR.resolve("long-trace.html");
        Dimension before = chrome.manage().window().getSize();
        Files.writeString(longPage, new HtmlReport().render(evict, false), StandardCharsets.UTF_8);
        try {
            open(longPage);
            WebElement svg = chrome.findElement(By.cssSelector("#" + HtmlReport.traceId(1) + " svg.swimlane"));
            List<WebElement> lanes = svg.findElements(By.cssSelector("g.lane"));
            assertEquals(List.of("CPU0", "CPU1", "RCU"),
                    lanes.stream().map(l -> l.getDomAttribute("data-thread")).toList());
            for (WebElement lane : lanes) {
                Number right = (Number) chrome.executeScript("return arguments[0].getBoundingClientRect().right", lane);
                assertTrue(right.doubleValue() <= window, lane.getDomAttribute("data-thread") + " ends at " + right
                        + " px, past the window's " + window);
            }
            Number scroll = (Number) chrome.executeScript("return document.documentElement.scrollWidth");
            assertTrue(scroll.longValue() <= window, "the page scrolls sideways: " + scroll);
            // Chromium captures only what is in the window: make it as tall as the page for the picture
            long height = ((Number) chrome.executeScript("return document.documentElement.scrollHeight")).longValue();
            chrome.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 100, 12_000)));
            Path shot = DIR.resolve("long-trace.png");
            Files.write(shot, svg.getScreenshotAs(OutputType.BYTES));
            assertPicture(shot, 1000, svg.getRect().getHeight() - 2);
        } finally {
            chrome.manage().window().setSize(before);
            open(page);
        }
    }

    @Test
    void thePageParsesAsXmlAndLoadsNothingFromElsewhere() throws Exception {
        String html = Files.readString(page);
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertFalse(html.contains("http://") || html.contains("https://"));
        Number resources = (Number) ((JavascriptExecutor) chrome)
                .executeScript("return performance.getEntriesByType('resource').length");
        assertEquals(0, resources.intValue(), "the page fetched resources");
    }

    private static String hash() {
        return (String) ((JavascriptExecutor) chrome).executeScript("return location.hash");
    }

    private static void assertInViewport(WebElement e) {
        Boolean visible = (Boolean) ((JavascriptExecutor) chrome).executeScript(
                "const r = arguments[0].getBoundingClientRect();"
                        + "return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;", e);
        assertTrue(visible, "not scrolled into view: " + e.getDomAttribute("id"));
    }

    /** A PNG of at least {@code minWidth} x {@code minHeight} pixels that is not one flat colour. */
    private static void assertPicture(Path png, int minWidth, int minHeight) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, png + " is only " + bytes.length + " bytes");
        assertEquals(0x89, bytes[0] & 0xff);
        assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= minWidth && img.getHeight() >= minHeight,
                png + " is " + img.getWidth() + "x" + img.getHeight());
        int first = img.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < img.getHeight() && !varied; y += 7) {
            for (int x = 0; x < img.getWidth() && !varied; x += 7) {
                varied = img.getRGB(x, y) != first;
            }
        }
        assertTrue(varied, png + " is one flat colour");
    }
}
