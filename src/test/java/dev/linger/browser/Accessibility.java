package dev.linger.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

/**
 * axe-core's WCAG 2.x A and AA rules (color contrast included) run inside the browser on the page it shows, and
 * the findings of several pages collected into one readable report.
 */
final class Accessibility {

    static final List<String> WCAG_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

    /** Page name → one line per violation; pages without any are kept too, to show what was checked. */
    private final Map<String, List<String>> findings = new TreeMap<>();

    /** Runs axe on what the browser shows now and records the violations under {@code page}. */
    void check(Chromium browser, String page) {
        // legacy mode: no frames here, and it spares the blank window the frame-aware run opens for every check
        Results results = new AxeBuilder().withTags(WCAG_A_AA).setLegacyMode(true).analyze(browser.driver());
        if (results.isErrored()) {
            throw new AssertionError("axe could not check " + page + ": " + results.getErrorMessage());
        }
        List<String> lines = new ArrayList<>();
        for (Rule rule : results.getViolations()) {
            List<String> targets = new ArrayList<>();
            for (CheckedNode node : rule.getNodes()) {
                targets.add(String.valueOf(node.getTarget()));
            }
            lines.add(rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at " + String.join(", ",
                    targets));
        }
        findings.merge(page + " " + browser.path(), lines, (a, b) -> {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
    }

    int pagesChecked() {
        return findings.size();
    }

    /** Empty when every page passed; otherwise a list a person can act on, page by page. */
    String report() {
        StringBuilder out = new StringBuilder();
        findings.forEach((page, lines) -> {
            if (!lines.isEmpty()) {
                out.append(page).append(":\n");
                lines.forEach(l -> out.append("  - ").append(l).append('\n'));
            }
        });
        return out.toString();
    }

    /**
     * Presses Tab from the top of the freshly loaded page until {@code wanted} has the focus, at most
     * {@code maxTabs} times; returns how many it took, or fails saying where the focus went.
     */
    static int tabTo(Chromium browser, WebElement wanted, int maxTabs) {
        List<String> path = new ArrayList<>();
        for (int i = 1; i <= maxTabs; i++) {
            new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.driver().switchTo().activeElement();
            if (focused.equals(wanted)) {
                return i;
            }
            path.add(describe(focused));
        }
        throw new AssertionError(maxTabs + " presses of Tab never reached " + describe(wanted) + "; the focus went: "
                + path);
    }

    static String describe(WebElement e) {
        String text = e.getText().strip();
        return e.getTagName() + (text.isEmpty() ? "" : " '" + (text.length() > 40 ? text.substring(0, 40) : text)
                + "'");
    }
}
