package dev.wheelhouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.lifecycle.OwnerTotal;
import dev.wheelhouse.server.lifecycle.ProjectTotal;
import dev.wheelhouse.server.lifecycle.PruneReport;
import dev.wheelhouse.server.lifecycle.StatsReport;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.storage.BlobTotals;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's HTML without a server or browser: escaping, numbers and the optional sections. */
class HomePageTest {
  private static final String HOSTILE =
      "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&";

  @TempDir Path data;

  @Test
  void escapesEverythingThatComesFromTheStore() throws Exception {
    Instant access = Instant.parse("2026-03-02T10:15:30.250Z");
    StatsReport stats =
        new StatsReport(
            2,
            3000,
            List.of(new OwnerTotal(HOSTILE, HOSTILE + "kind", 2, 3000, 7, Optional.of(access))),
            List.of(new ProjectTotal(HOSTILE, HOSTILE + "project", 2, 3000)));

    String html =
        HomePage.render(
            "host\"><script>alert(2)</script>:8080",
            registry(),
            new BlobTotals(4, 5000),
            Optional.of(
                new HomePage.Details(
                    Optional.of(stats), new TrafficTotals.Totals(0, 0, 0, 0), Optional.empty())));

    Document page = Jsoup.parse(html);
    assertThat(page.select("script, img")).isEmpty();
    assertThat(html).doesNotContain("<script>").doesNotContain("<img");
    Element row = page.selectFirst("#storage tbody tr");
    assertThat(row.attr("data-name")).isEqualTo(HOSTILE);
    assertThat(row.attr("data-kind")).isEqualTo(HOSTILE + "kind");
    assertThat(row.child(0).text()).isEqualTo(HOSTILE);
    assertThat(row.selectFirst("[data-hits]").attr("data-hits")).isEqualTo("7");
    assertThat(row.selectFirst("[data-last-access]").attr("data-last-access"))
        .isEqualTo(access.toString());
    assertThat(row.selectFirst("time").text()).isEqualTo("2026-03-02 10:15:30 UTC");
    Element largest = page.selectFirst("#largest tbody tr");
    assertThat(largest.attr("data-index")).isEqualTo(HOSTILE);
    assertThat(largest.attr("data-project")).isEqualTo(HOSTILE + "project");
    assertThat(largest.child(2).text()).isEqualTo(HOSTILE + "project");
    assertThat(page.selectFirst("p code").text()).contains("host\"><script>alert(2)</script>");
  }

  @Test
  void showsNumbersRawAndReadable() throws Exception {
    StatsReport stats =
        new StatsReport(
            3,
            1_572_864 + 2048,
            List.of(
                new OwnerTotal("local", "hosted", 2, 1_572_864, 0, Optional.empty()),
                new OwnerTotal("pypi", "proxy", 1, 2048, 5, Optional.empty())),
            List.of(
                new ProjectTotal("local", "big", 2, 1_572_864),
                new ProjectTotal("pypi", "small", 1, 2048)));
    PruneReport prune =
        new PruneReport(
            true,
            10,
            3,
            4096,
            2,
            3072,
            0,
            List.of(),
            List.of(),
            false,
            12,
            Instant.parse("2026-03-02T11:00:00Z"));

    Document page =
        Jsoup.parse(
            HomePage.render(
                "127.0.0.1:8080",
                registry(),
                new BlobTotals(3, 1_574_000),
                Optional.of(
                    new HomePage.Details(
                        Optional.of(stats),
                        new TrafficTotals.Totals(10_000, 2_500, 3, 1),
                        Optional.of(prune)))));

    Element local = page.selectFirst("#storage tr[data-name=local]");
    assertThat(local.selectFirst("[data-bytes]").attr("data-bytes")).isEqualTo("1572864");
    assertThat(local.selectFirst("[data-bytes]").text()).isEqualTo("1.5 MiB");
    assertThat(local.selectFirst("[data-bytes]").attr("title")).isEqualTo("1,572,864 bytes");
    assertThat(local.selectFirst("[data-last-access]").text()).isEqualTo("never");
    Element total = page.selectFirst("#storage tfoot tr");
    assertThat(total.selectFirst("[data-files]").attr("data-files")).isEqualTo("3");
    assertThat(total.selectFirst("[data-hits]").attr("data-hits")).isEqualTo("5");
    assertThat(page.selectFirst("#totals [data-blobs]").attr("data-blobs")).isEqualTo("3");
    assertThat(page.selectFirst("#totals [data-blob-bytes]").attr("data-blob-bytes"))
        .isEqualTo("1574000");
    assertThat(page.selectFirst("#largest tbody tr").attr("data-project")).isEqualTo("big");

    Element traffic = page.getElementById("traffic");
    assertThat(traffic.selectFirst("[data-hit-ratio]").text()).isEqualTo("75.0 %");
    assertThat(traffic.selectFirst("[data-hit-ratio]").attr("data-hit-ratio")).isEqualTo("0.75");
    assertThat(traffic.selectFirst("[data-served-bytes]").text()).isEqualTo("9.8 KiB");
    assertThat(traffic.selectFirst("[data-saved-bytes]").attr("data-saved-bytes"))
        .isEqualTo("7500");

    Element last = page.getElementById("last-prune");
    assertThat(last.attr("data-ran")).isEqualTo("true");
    assertThat(last.selectFirst("[data-applied]").text()).isEqualTo("applied");
    assertThat(last.selectFirst("[data-entries-selected]").attr("data-entries-selected"))
        .isEqualTo("3");
    assertThat(last.selectFirst("[data-bytes-freed]").attr("data-bytes-freed")).isEqualTo("3072");
    assertThat(last.selectFirst("time").attr("datetime")).isEqualTo("2026-03-02T11:00:00Z");
  }

  @Test
  void emptyStoreNoTrafficNoPrune() throws Exception {
    Document page =
        Jsoup.parse(
            HomePage.render(
                "127.0.0.1:8080",
                registry(),
                BlobTotals.EMPTY,
                Optional.of(
                    new HomePage.Details(
                        Optional.of(new StatsReport(0, 0, List.of(), List.of())),
                        new TrafficTotals.Totals(100, 400, 0, 2),
                        Optional.empty()))));

    assertThat(page.select("#storage tbody tr").text()).isEqualTo("nothing stored yet");
    assertThat(page.select("#largest tbody tr").text()).isEqualTo("nothing stored yet");
    assertThat(page.selectFirst("#traffic [data-hit-ratio]").text()).isEqualTo("0.0 %");
    // More fetched than served: nothing saved, never a negative number.
    assertThat(page.selectFirst("#traffic [data-saved-bytes]").attr("data-saved-bytes"))
        .isEqualTo("0");
    assertThat(page.getElementById("last-prune").attr("data-ran")).isEqualTo("false");
    assertThat(page.getElementById("last-prune").text()).contains("never");
  }

  @Test
  void saysSoWhenStorageFiguresFailed() throws Exception {
    Document page =
        Jsoup.parse(
            HomePage.render(
                "127.0.0.1:8080",
                registry(),
                new BlobTotals(1, 10),
                Optional.of(
                    new HomePage.Details(
                        Optional.empty(),
                        new TrafficTotals.Totals(0, 0, 0, 0),
                        Optional.empty()))));

    assertThat(page.getElementById("storage-unavailable")).isNotNull();
    assertThat(page.getElementById("storage")).isNull();
    assertThat(page.selectFirst("#totals [data-blobs]").attr("data-blobs")).isEqualTo("1");
    assertThat(page.getElementById("traffic")).isNotNull();
  }

  @Test
  void readableSizes() {
    assertThat(HomePage.human(0)).isEqualTo("0 B");
    assertThat(HomePage.human(1023)).isEqualTo("1023 B");
    assertThat(HomePage.human(1024)).isEqualTo("1.0 KiB");
    assertThat(HomePage.human(1024 * 1024 - 1)).isEqualTo("1.0 MiB");
    assertThat(HomePage.human(5L << 30)).isEqualTo("5.0 GiB");
    assertThat(HomePage.human(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }

  private IndexRegistry registry() throws Exception {
    return new IndexRegistry(TestServer.config(data, ""));
  }
}
