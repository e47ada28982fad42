package dev.wsfanout.cli;

import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.JsonCodec;
import dev.wsfanout.stack.LocalDeploymentOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page in headless Chromium (the Debian chromium and chromium-driver packages, driven by
 * Selenium with the driver path given, so nothing is downloaded): two windows connected to the
 * local gateway, a broadcast started from the form of one, received by both, and its audit shown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePageTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path profile;
    private LiveStack live;
    private WebDriver browser;

    @BeforeAll
    void start() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "this test needs the Debian packages chromium and chromium-driver: apt-get install -y chromium chromium-driver "
                        + "(./wsfanout test installs them)");
        live = LiveStack.start(LocalDeploymentOptions.builder().env(FanoutConfig.PARTITION_COUNT, "20").build(), 0);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                        "--window-size=1200,900", "--user-data-dir=" + profile.toAbsolutePath());
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (live != null) {
            live.close();
        }
    }

    @Test
    void aBroadcastFromTheFormOfOneWindowShowsUpInBothAndItsAuditAppears() throws IOException {
        String page = live.page().uri().toString();
        browser.get(page);
        String sender = browser.getWindowHandle();
        awaitConnected();
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(page);
        String watcher = browser.getWindowHandle();
        awaitConnected();

        browser.switchTo().window(sender);
        String text = "hello from the form " + UUID.randomUUID();
        WebElement message = browser.findElement(By.id("message"));
        message.clear();
        message.sendKeys(text);
        browser.findElement(By.id("send")).click();

        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.attributeToBe(By.id("audit"), "data-status", "SUCCEEDED"));
        assertEquals("2", auditValue("connections"), "both windows are connected clients");
        assertEquals("2", auditValue("delivered"));
        assertEquals("0 / 0 / 0", auditValue("outcomes"));
        assertEquals("20 / 20 succeeded", auditValue("mapRun"));
        WebElement received = awaitReceived(text);
        assertTrue(received.findElement(By.className("latency")).getText().matches("\\d+ ms"), received.getText());
        assertTrue(received.getAttribute("data-seq").matches("[1-9]\\d*"),
                "delivered through the client library, which hands over the stream's number: " + received.getAttribute("data-seq"));
        Path screenshot = Path.of("target", "live-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);

        browser.switchTo().window(watcher);
        awaitReceived(text);
        assertEquals("", browser.findElement(By.id("audit-name")).getText(), "only the sender follows the audit");
    }

    @Test
    void theBroadcastApiNamesWhatIsWrongWithARequest() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI broadcasts = live.page().uri().resolve("/api/broadcasts");

        String token = live.page().token();
        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(broadcasts).header(LivePageServer.TOKEN_HEADER, token)
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("{\"message\":\"hi\"}")).build(), BodyHandlers.ofString());
        assertEquals(415, notJson.statusCode(), notJson.body());

        HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(broadcasts).header(LivePageServer.TOKEN_HEADER, token)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"message\":\"" + "x".repeat(131_000) + "\"}")).build(), BodyHandlers.ofString());
        assertEquals(400, tooLarge.statusCode(), tooLarge.body());
        assertTrue(JsonCodec.readTree(tooLarge.body()).get("error").asText().startsWith("the message is 131002 bytes serialized"),
                tooLarge.body());

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(broadcasts.resolve("/api/broadcasts/no-such-one"))
                        .header(LivePageServer.TOKEN_HEADER, token).build(),
                BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown.body());

        HttpResponse<String> outsideWeb = http.send(HttpRequest.newBuilder(broadcasts.resolve("/../pom.xml")).build(),
                BodyHandlers.ofString());
        assertEquals(404, outsideWeb.statusCode(), outsideWeb.body());
    }

    private void awaitConnected() {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
    }

    private WebElement awaitReceived(String text) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            List<WebElement> items = d.findElements(By.cssSelector("#received li"));
            return items.stream().filter(li -> li.findElement(By.className("text")).getText().equals(text)).findFirst().orElse(null);
        });
    }

    private String auditValue(String field) {
        return browser.findElement(By.cssSelector("#audit td[data-field=" + field + "]")).getText();
    }
}
