package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.flow.Flow;
import dev.tollgate.flow.FlowMode;
import dev.tollgate.flow.Flows;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The flow viewer in a real headless Chromium (Debian's chromium and chromium-driver, as
 * .ci/run installs them; skipped with the reason when they are absent): rows appear live as
 * traffic goes through the proxy, filters narrow the list and live in the URL, a row opens its
 * detail, keyboard navigation, copy as curl, pause, HAR export, and 10,000 flows in the list.
 * Screenshots go to target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "screenshots");

    private static TestOrigin origin;
    private static AdminHarness h;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser: /usr/bin/chromium and /usr/bin/chromedriver (Debian chromium, chromium-driver) are needed");
        origin = new TestOrigin();
        h = new AdminHarness(
                Map.of("admin.capture.hosts", "127.0.0.1", "intercept", "false"),
                null,
                Files.createTempDirectory("tollgate-page"));
        for (int i = 0; i < 3; i++) {
            send(origin.url("/bytes/64?before=" + i));
        }
        profile = Files.createTempDirectory("tollgate-chromium");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toString())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile,
                        "--window-size=1440,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static void send(String url) throws Exception {
        h.proxy
                .client()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
    }

    private static void shot(String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<WebElement> visibleRows() {
        return browser.findElements(By.cssSelector("#rows .row:not([hidden])"));
    }

    private static boolean rowWith(String text) {
        return visibleRows().stream().anyMatch(r -> r.getText().contains(text));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    @Test
    @Order(1)
    void rowsAppearLiveAndCompleteWhenTheExchangeEnds() throws Exception {
        browser.get(h.url + "/");
        wait.until(d -> rowWith("before=2"));
        wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
        var slow = h.proxy
                .client()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(origin.url("/slow/4000?live=1")))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        // the row shows up while the exchange runs (status and duration "…"), then completes
        wait.until(d -> visibleRows().stream()
                .anyMatch(r -> r.getText().contains("live=1")
                        && r.getText().contains("…")
                        && r.getAttribute("class").contains("running")));
        assertThat(slow.isDone()).isFalse();
        shot("00-running-row");
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        wait.until(d -> visibleRows().stream()
                .anyMatch(r -> r.getText().contains("live=1")
                        && r.getText().contains("200")
                        && !r.getAttribute("class").contains("running")));
        send(origin.url("/status/503?broken=1"));
        HttpRequest post = HttpRequest.newBuilder(URI.create(origin.url("/echo?json=1")))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer hidden")
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":42,\"items\":[\"a\",\"b\"]}"))
                .build();
        h.proxy.client().send(post, HttpResponse.BodyHandlers.discarding());
        wait.until(d -> rowWith("broken=1") && rowWith("json=1"));
        shot("01-live-list");
    }

    @Test
    @Order(2)
    void aRowOpensItsDetailWithTheBodyAndCopiesAsCurl() throws Exception {
        visibleRows().stream()
                .filter(r -> r.getText().contains("json=1"))
                .findFirst()
                .orElseThrow()
                .click();
        WebElement detail = browser.findElement(By.id("detail"));
        wait.withMessage(() -> "detail: " + detail.getText() + " / log: "
                        + browser.manage().logs().get("browser").getAll())
                .until(d -> detail.isDisplayed() && detail.getText().contains("REQUEST BODY"));
        // headings are upper-cased by the stylesheet, and getText() returns what is rendered
        assertThat(detail.getText())
                .contains("REQUEST HEADERS", "RESPONSE HEADERS", "TIMING", "Authorization REDACTED", "\"order\" : 42")
                .doesNotContain("null");
        assertThat(browser.getCurrentUrl()).contains("flow=");
        shot("02-detail");
        browser.findElement(By.id("curl")).click();
        wait.until(d ->
                js("return document.body.dataset.lastCopy || ''").toString().startsWith("curl"));
        String curl = js("return document.body.dataset.lastCopy").toString();
        assertThat(curl).contains("-X POST", "/echo?json=1", "--data-raw", "Content-Type: application/json");
    }

    @Test
    @Order(3)
    void keyboardMovesTheSelectionAndEscapeCloses() {
        WebElement rows = browser.findElement(By.id("rows"));
        rows.click();
        String before = js(
                        "return document.querySelector('.row.selected') && document.querySelector('.row.selected').dataset.id")
                + "";
        rows.sendKeys("j");
        wait.until(d -> !(js("return document.querySelector('.row.selected').dataset.id") + "").equals(before));
        rows.sendKeys("k");
        wait.until(d -> (js("return document.querySelector('.row.selected').dataset.id") + "").equals(before));
        rows.sendKeys(Keys.ESCAPE);
        wait.until(d -> !d.findElement(By.id("detail")).isDisplayed());
    }

    @Test
    @Order(4)
    void filtersNarrowTheListAndLiveInTheUrl() throws Exception {
        new Select(browser.findElement(By.name("status"))).selectByValue("5xx");
        wait.withMessage(() -> "url: " + browser.getCurrentUrl())
                .until(d -> d.getCurrentUrl().contains("status=5xx"));
        wait.until(d -> !visibleRows().isEmpty()
                && visibleRows().stream().allMatch(r -> r.getText().contains("503")));
        send(origin.url("/bytes/8?after-filter=1"));
        send(origin.url("/status/500?also-5xx=1"));
        wait.until(d -> rowWith("also-5xx=1"));
        assertThat(rowWith("after-filter=1")).isFalse();
        shot("03-filtered");
        // the URL is the view: a fresh load with it shows the same filter
        browser.get(browser.getCurrentUrl());
        wait.until(d -> rowWith("also-5xx=1"));
        assertThat(new Select(browser.findElement(By.name("status")))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("5xx");
        assertThat(rowWith("after-filter=1")).isFalse();
    }

    @Test
    @Order(5)
    void harExportFollowsTheFilter() {
        String href = browser.findElement(By.id("har")).getAttribute("href");
        assertThat(href).contains("/api/flows.har?").contains("status=5xx");
        Object har = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => r.json()).then(j => done(JSON.stringify({v: j.log.version, "
                                + "n: j.log.entries.length, s: j.log.entries.map(e => e.response.status)})));",
                        href);
        assertThat(har.toString()).contains("\"v\":\"1.2\"").doesNotContain("200");
        assertThat(har.toString()).contains("503", "500");
    }

    @Test
    @Order(6)
    void pauseHoldsNewRowsUntilResume() throws Exception {
        browser.get(h.url + "/");
        wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
        browser.findElement(By.id("pause")).click();
        send(origin.url("/bytes/4?while-paused=1"));
        wait.until(d -> d.findElement(By.id("live")).getText().contains("waiting"));
        assertThat(rowWith("while-paused=1")).isFalse();
        browser.findElement(By.id("pause")).click();
        wait.until(d -> rowWith("while-paused=1"));
    }

    @Test
    @Order(7)
    void tenThousandFlowsStayResponsive() throws Exception {
        // recorder output into the same store and stream at 2,000 flows a second for five seconds
        Flows synthetic = new Flows(h.parts.sinks());
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            Flow f = synthetic.open("10.224.0." + (i % 200) + ":5" + (i % 9000));
            f.request("GET", "https://svc" + (i % 40) + ".example.com/api/v1/items/" + i)
                    .mode(FlowMode.INTERCEPT)
                    .clientVersion("HTTP/2");
            f.started();
            if (i % 17 == 0) {
                f.error("timed out connecting to svc" + (i % 40) + ".example.com:443 (10.1.0." + (i % 40) + ")")
                        .status(504);
            } else {
                f.response(200, List.of(Map.entry("content-type", "application/json")));
            }
            f.addBytesDown(100 + i % 900);
            f.end();
            long due = t0 + (i + 1) * 500_000L; // 2,000 per second
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
        }
        wait.withTimeout(Duration.ofSeconds(20))
                .until(d -> js("return document.getElementById('count').textContent")
                        .toString()
                        .replace(",", "")
                        .matches("1\\d{4} flows"));
        long domRows = (Long) js("return document.querySelectorAll('#rows .row').length");
        assertThat(domRows).as("rows in the DOM with 10,000 flows listed").isLessThan(150);
        Object took = js("const el = document.getElementById('rows'); const t = performance.now();"
                + "for (let y = 0; y < 200000; y += 20000) { el.scrollTop = y; el.dispatchEvent(new Event('scroll')); }"
                + "return performance.now() - t;");
        assertThat(((Number) took).doubleValue())
                .as("ms for ten scroll renders")
                .isLessThan(500);
        js("document.getElementById('rows').scrollTop = 0");
        shot("04-ten-thousand");
        // a failed flow among them: its detail carries the error and what to do about it
        wait.until(d -> rowWith("504"));
        visibleRows().stream()
                .filter(r -> r.getText().contains("504"))
                .findFirst()
                .orElseThrow()
                .click();
        wait.until(d -> d.findElement(By.id("detail")).getText().contains("did not answer in time"));
        shot("05-failed-flow-detail");
    }

    @Test
    @Order(8)
    void beyondLoopbackThePageAsksForTheTokenAndTheLoginOpensIt() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-login");
        Path tokenFile = Files.writeString(dir.resolve("token"), "page-token-0123456789\n");
        try (AdminHarness guarded = new AdminHarness(
                Map.of("admin.listen", "0.0.0.0:0", "admin.tokenFile", tokenFile.toString(), "intercept", "false"),
                null,
                dir)) {
            browser.get(guarded.url + "/");
            wait.until(d -> !d.findElements(By.name("token")).isEmpty());
            assertThat(browser.findElements(By.id("rows"))).isEmpty();
            browser.findElement(By.name("token")).sendKeys("not-the-token-at-all");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.withMessage(() -> "page: " + browser.getPageSource())
                    .until(d -> d.getPageSource().contains("That is not the admin token."));
            browser.findElement(By.name("token")).sendKeys("page-token-0123456789");
            shot("06-login");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
            guarded.proxy
                    .client()
                    .send(
                            HttpRequest.newBuilder(URI.create(origin.url("/bytes/2?after-login=1")))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            wait.until(d -> rowWith("after-login=1"));
        }
    }
}
