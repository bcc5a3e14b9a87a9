package dev.wheelhouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.server.http.PathSegments;
import dev.wheelhouse.server.lifecycle.OwnerTotal;
import dev.wheelhouse.server.lifecycle.ProjectTotal;
import dev.wheelhouse.server.lifecycle.PruneReport;
import dev.wheelhouse.server.lifecycle.StatsReport;
import dev.wheelhouse.server.provenance.RecentBuild;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.server.testing.TestServer;
import dev.wheelhouse.storage.BlobTotals;
import dev.wheelhouse.storage.PlatformMiss;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's HTML without a server or browser: escaping, numbers, the optional sections and how
 * sources and durations are shown.
 */
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
                    Optional.of(stats),
                    new TrafficTotals.Totals(0, 0, 0, 0),
                    Optional.empty(),
                    Optional.empty())));

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
                        Optional.of(prune),
                        Optional.empty()))));

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
                        Optional.empty(),
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
                        Optional.empty(),
                        Optional.empty()))));

    assertThat(page.getElementById("storage-unavailable")).isNotNull();
    assertThat(page.getElementById("storage")).isNull();
    assertThat(page.selectFirst("#totals [data-blobs]").attr("data-blobs")).isEqualTo("1");
    assertThat(page.getElementById("traffic")).isNotNull();
  }

  @Test
  void recentBuildsAndMissesEscapeWhatUploadersAndClientsSent() throws Exception {
    Instant built = Instant.parse("2026-03-02T10:15:30Z");
    RecentBuild build =
        new RecentBuild(
            HOSTILE,
            "foo",
            "foo-1.0+x&y-py3-none-any.whl",
            Optional.of(HOSTILE + "platform"),
            Optional.of(HOSTILE + "python"),
            Optional.of("https://user:secret@git.example/foo@" + HOSTILE),
            Optional.of(true),
            Optional.of(3725.0),
            built,
            true);
    PlatformMiss miss =
        new PlatformMiss(
            HOSTILE,
            HOSTILE + "project",
            HOSTILE + "platform",
            "3.12",
            HOSTILE + "libc",
            1234,
            built,
            built,
            Optional.of(HOSTILE + "version"));

    String html = render(Optional.of(new RecentActivity.Shown(List.of(build), List.of(miss))));

    Document page = Jsoup.parse(html);
    assertThat(page.select("script, img")).isEmpty();
    assertThat(html).doesNotContain("<script>").doesNotContain("<img").doesNotContain("secret");
    Element row = page.selectFirst("#builds tbody tr");
    assertThat(row.attr("data-index")).isEqualTo(HOSTILE);
    assertThat(row.child(1).text()).isEqualTo(HOSTILE);
    assertThat(row.child(2).text()).isEqualTo(HOSTILE + "platform");
    String document =
        "/provenance/" + PathSegments.encode(HOSTILE) + "/foo-1.0%2Bx%26y-py3-none-any.whl";
    assertThat(row.selectFirst("a").attr("href")).isEqualTo(document);
    assertThat(row.selectFirst("a").text()).isEqualTo("foo-1.0+x&y-py3-none-any.whl");
    assertThat(row.select("a").get(1).attr("href")).isEqualTo(document + "/log");
    assertThat(row.selectFirst("td[title]").attr("title"))
        .isEqualTo("https://***@git.example/foo@" + HOSTILE);
    assertThat(row.selectFirst("[data-duration-seconds]").text()).isEqualTo("1 h 02 min");
    assertThat(row.selectFirst("[data-built-at]").attr("data-built-at"))
        .isEqualTo(built.toString());
    Element missRow = page.selectFirst("#misses tbody tr");
    assertThat(missRow.attr("data-project")).isEqualTo(HOSTILE + "project");
    assertThat(missRow.child(0).text()).isEqualTo(HOSTILE + "project");
    assertThat(missRow.child(4).text()).isEqualTo(HOSTILE + "libc");
    assertThat(missRow.selectFirst("[data-count]").text()).isEqualTo("1,234");
    assertThat(missRow.child(7).text()).isEqualTo(HOSTILE + "version");
    assertThat(page.selectFirst("#misses-hint code").text())
        .isEqualTo("wheelhouse build --missing");
  }

  @Test
  void noBuildsNoMissesNoTables() throws Exception {
    for (Optional<RecentActivity.Shown> recent :
        List.of(
            Optional.<RecentActivity.Shown>empty(),
            Optional.of(new RecentActivity.Shown(List.of(), List.of())))) {
      Document page = Jsoup.parse(render(recent));

      assertThat(page.select("#builds, #misses, #misses-hint")).isEmpty();
      assertThat(page.select("h2").eachText())
          .doesNotContain("Recent builds", "Platforms without wheels");
    }
  }

  @Test
  void longSourcesAreShortenedInTheMiddle() {
    String source =
        "git+https://git.example/group/project@0123456789abcdef0123456789abcdef01234567";

    String shown = RecentTables.shortened(source, RecentTables.SOURCE_SHOWN);

    assertThat(shown).hasSize(RecentTables.SOURCE_SHOWN).startsWith("git+https://git.example");
    assertThat(shown).contains("\u2026").endsWith("23456789abcdef01234567");
    assertThat(RecentTables.shortened("sdist:foo==1.0", RecentTables.SOURCE_SHOWN))
        .isEqualTo("sdist:foo==1.0");
    // Characters beyond the BMP are never cut in half.
    String emoji = "\uD83D\uDE00".repeat(60);
    assertThat(RecentTables.shortened(emoji, 10).codePoints().filter(c -> c == 0x1F600).count())
        .isEqualTo(9);
  }

  @Test
  void readableDurations() {
    assertThat(RecentTables.readableDuration(0)).isEqualTo("0.0 s");
    assertThat(RecentTables.readableDuration(42.5)).isEqualTo("42.5 s");
    assertThat(RecentTables.readableDuration(59.96)).isEqualTo("1 min 00 s");
    assertThat(RecentTables.readableDuration(125)).isEqualTo("2 min 05 s");
    assertThat(RecentTables.readableDuration(3599.4)).isEqualTo("59 min 59 s");
    assertThat(RecentTables.readableDuration(3725)).isEqualTo("1 h 02 min");
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

  private String render(Optional<RecentActivity.Shown> recent) throws Exception {
    return HomePage.render(
        "127.0.0.1:8080",
        registry(),
        BlobTotals.EMPTY,
        Optional.of(
            new HomePage.Details(
                Optional.of(new StatsReport(0, 0, List.of(), List.of())),
                new TrafficTotals.Totals(0, 0, 0, 0),
                Optional.empty(),
                recent)));
  }

  private IndexRegistry registry() throws Exception {
    return new IndexRegistry(TestServer.config(data, ""));
  }
}
