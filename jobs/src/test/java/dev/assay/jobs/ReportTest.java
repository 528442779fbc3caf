package dev.assay.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.assay.common.testing.SparkExtension;
import dev.assay.jobs.demo.DemoLake;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * {@code assay report} on the demo lake, rendered in Debian's headless Chromium: the page loads
 * offline without console errors or network requests, shows its three views, and marks each
 * poisoned partition FAIL with its reason and a runbook hint. The full-page screenshot is kept at
 * jobs/target/report-screenshot.png.
 */
@ExtendWith(SparkExtension.class)
class ReportTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void demoReportRendersInChromiumAndShowsEveryPoisonedPartitionAsFail(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Path config = Lakes.demo(spark);
    Path report = dir.resolve("out/report.html");
    Lakes.Cli run = Lakes.assay("report", "-c", config.toString(), "--out", report.toString());
    assertEquals(0, run.exitCode(), run.err());
    Files.copy(
        report, Path.of("target/report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String html = Files.readString(report);
    assertFalse(html.contains("<script"), "the report runs no script");
    assertFalse(
        html.matches("(?s).*(src|href)=\"(https?:)?//.*"),
        "the report references nothing outside itself");

    boolean inCi = System.getenv("CI") != null;
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (inCi && !present) {
      throw new AssertionError(
          "Chromium is missing: .ci/run installs Debian's chromium and chromium-driver.");
    }
    assumeTrue(
        present,
        "Skipping the browser half: install Debian's chromium and chromium-driver"
            + " (apt-get install chromium chromium-driver) to render the report.");

    ChromeDriver browser = chromium(dir.resolve("chromium-profile"));
    try {
      browser.get(report.toUri().toString());
      List<LogEntry> problems =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
              .toList();
      assertTrue(problems.isEmpty(), "console errors: " + problems);
      assertEquals(
          0L,
          ((Number) browser.executeScript("return performance.getEntriesByType('resource').length"))
              .longValue(),
          "the page fetched resources");

      for (String section : List.of("summary", "on-call", "debug")) {
        WebElement element = browser.findElement(By.id(section));
        assertTrue(
            element.isDisplayed() && element.getSize().getHeight() > 100,
            section + " is not shown");
      }
      Set<String> failing = new HashSet<>();
      for (WebElement row :
          browser.findElements(By.cssSelector("#on-call table.oncall tbody tr"))) {
        WebElement partition = row.findElement(By.cssSelector("td.FAIL"));
        failing.add(partition.getText());
        assertFalse(
            row.findElements(By.cssSelector("td:nth-child(4) li")).isEmpty(),
            "no reason for " + row.getText());
        assertFalse(
            row.findElements(By.cssSelector("td:nth-child(5) li")).isEmpty(),
            "no hint for " + row.getText());
      }
      for (var day :
          List.of(
              DemoLake.UNIT_BUG_DAY,
              DemoLake.SHIFTED_DAY,
              DemoLake.FLIP_DAY,
              DemoLake.BACKDOOR_DAY,
              DemoLake.ROGUE_DAY,
              DemoLake.REPLAY_DAY,
              DemoLake.BURST_DAY)) {
        assertTrue(failing.contains(day.toString()), day + " is not shown as FAIL: " + failing);
      }
      assertFalse(
          failing.contains(DemoLake.UNIT_BUG_DAY.plusDays(1).toString()),
          "a clean day is shown as FAIL");
      String onCall = browser.findElement(By.id("on-call")).getText();
      assertTrue(
          onCall.contains("psi(age)") && onCall.contains("unit change"),
          "the age bug's reason and hint");
      assertTrue(
          onCall.contains("capital_loss = 1234") && onCall.contains("Drop the evidence rows"),
          "the trigger's reason and hint");
      String summary = browser.findElement(By.id("summary")).getText();
      assertTrue(
          summary.contains("Latest 12: FAIL"), "rounds are not in numeric order: " + summary);

      String debug = browser.findElement(By.id("debug")).getText();
      List<String> charts =
          browser.findElements(By.cssSelector("#debug svg")).stream()
              .map(svg -> svg.getAttribute("aria-label"))
              .toList();
      assertTrue(
          charts.contains("adult " + DemoLake.UNIT_BUG_DAY + ": age"),
          "no age histogram: " + charts);
      assertTrue(
          debug.contains("REPLAY") && debug.contains(DemoLake.REPLAY_SOURCE_DAY.toString()),
          "no replay evidence naming the first-seen partition");
      assertTrue(debug.contains("Never-worked"), "no trigger candidate");
      assertTrue(
          browser.findElements(By.cssSelector("#debug svg")).size() >= 3, "debug charts missing");
      for (WebElement chart : browser.findElements(By.cssSelector("svg"))) {
        assertTrue(
            chart.getSize().getWidth() > 200 && chart.getSize().getHeight() > 60,
            "a chart was not laid out: " + chart.getAttribute("aria-label"));
      }

      long height =
          ((Number) browser.executeScript("return document.documentElement.scrollHeight"))
              .longValue();
      browser.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 100, 16_000)));
      File shot = browser.getScreenshotAs(OutputType.FILE);
      Path kept = Path.of("target/report-screenshot.png");
      Files.copy(shot.toPath(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      BufferedImage image = ImageIO.read(kept.toFile());
      assertTrue(
          image.getHeight() > 2000, "the screenshot is not the whole page: " + image.getHeight());
      assertTrue(hasRed(image), "no FAIL red in the screenshot");
    } finally {
      browser.quit();
    }
  }

  @Test
  void reportWorksOnAnUnseenLakeWhoseIntegrityTablesLiveInACatalog(
      SparkSession spark, @TempDir Path dir) throws Exception {
    Lakes.write(
        Lakes.scaled(Lakes.adultBatches(spark, 5, 400), 5, "age", 12), dir.resolve("census"));
    Path config = dir.resolve("assay.yaml");
    Files.writeString(
        config,
        "integrity:\n  catalog: report_catalog_it\ndatasets:\n"
            + Lakes.batchesDataset("[age, hours_per_week]", "[sex, race]"));
    spark.sql("CREATE DATABASE IF NOT EXISTS report_catalog_it");
    try {
      assertEquals(0, Lakes.assay("nightly", "-c", config.toString(), "--all").exitCode());
      Path report = dir.resolve("report.html");
      Lakes.Cli run = Lakes.assay("report", "-c", config.toString(), "--out", report.toString());
      assertEquals(0, run.exitCode(), run.err());
      String html = Files.readString(report);
      assertTrue(html.contains("<td class=\"FAIL\">5</td>"), "batch 5 (age x12) is not on call");
      assertFalse(html.contains("<td class=\"FAIL\">4</td>"), "a clean batch is on call");
      assertTrue(html.contains("aria-label=\"census 5: age\""), "no age histogram for batch 5");
      assertTrue(
          html.contains("No client was flagged."), "the absent client table was not read as empty");
    } finally {
      spark.sql("DROP DATABASE IF EXISTS report_catalog_it CASCADE");
    }
  }

  @Test
  void reportRefusesBadInputAndWritesNothing(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Path config = Lakes.demo(spark);
    Lakes.Cli folder = Lakes.assay("report", "-c", config.toString(), "--out", dir.toString());
    assertEquals(2, folder.exitCode(), folder.err());
    assertTrue(folder.err().contains("is a folder"), folder.err());

    Lakes.Cli zero =
        Lakes.assay(
            "report",
            "-c",
            config.toString(),
            "--out",
            dir.resolve("r.html").toString(),
            "--partitions",
            "0");
    assertEquals(2, zero.exitCode(), zero.err());
    assertTrue(zero.err().contains("--partitions 0"), zero.err());

    Path empty = Lakes.config(dir, Lakes.batchesDataset("auto", "auto"));
    Lakes.Cli young =
        Lakes.assay("report", "-c", empty.toString(), "--out", dir.resolve("r.html").toString());
    assertEquals(2, young.exitCode(), young.err());
    assertTrue(young.err().contains("nightly"), young.err());
    assertFalse(Files.exists(dir.resolve("r.html")), "a report was written without verdicts");
    try (var files = Files.list(dir)) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")),
          "a partial file was left");
    }
  }

  private static ChromeDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1400,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static boolean hasRed(BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 180 && g < 80 && b < 80) {
          return true;
        }
      }
    }
    return false;
  }
}
