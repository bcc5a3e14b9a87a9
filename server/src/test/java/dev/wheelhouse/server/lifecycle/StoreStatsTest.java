package dev.wheelhouse.server.lifecycle;

import static dev.wheelhouse.server.lifecycle.LifecycleStore.START;
import static dev.wheelhouse.server.lifecycle.LifecycleStore.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelhouse.storage.AccessCounts;
import dev.wheelhouse.storage.AptFileRecord;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Totals per owner and kind, and the largest projects, match what was stored. */
class StoreStatsTest {
  @TempDir Path dir;
  LifecycleStore store;

  @BeforeEach
  void open() throws IOException {
    store = new LifecycleStore(dir);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  static String kindOf(EntryRef ref) {
    if (ref instanceof EntryRef.AptFile apt) {
      return apt.path().startsWith("pool/") ? "apt package" : "apt index";
    }
    return ref.owner().equals("local") ? "hosted" : "proxy";
  }

  @Test
  void totalsMatchWhatWasStored() {
    FileRecord mine = store.file("local", "mine", "mine-1.0.tar.gz", 100, START);
    store.file("local", "mine", "mine-2.0.tar.gz", 200, START);
    for (int i = 0; i < 12; i++) {
      // Project q<i> holds 1000 + 10 i bytes: q11 is the largest.
      store.file("pypi", "q" + i, "q" + i + "-1.0.tar.gz", 1000 + 10 * i, START);
    }
    AptFileRecord deb = store.apt("debian", "pool/main/h/hello/hello_1.0_amd64.deb", 5000, START);
    store.apt("debian", "dists/stable/InRelease", 300, START);
    Instant later = START.plus(Duration.ofHours(3));
    store.meta.recordAccesses(
        Map.of(
            ref(mine),
            new AccessCounts(START.plus(Duration.ofHours(1)), 4),
            ref(deb),
            new AccessCounts(later, 2),
            new EntryRef.IndexFile("pypi", "q3", "q3-1.0.tar.gz"),
            new AccessCounts(later, 1)));

    StatsReport report = new StoreStats(store.meta, StoreStatsTest::kindOf).compute();

    long pypiBytes = 12 * 1000 + 10 * (11 * 12 / 2);
    assertThat(report.entries()).isEqualTo(2 + 12 + 2);
    assertThat(report.bytes()).isEqualTo(300 + pypiBytes + 5300);
    assertThat(report.owners())
        .containsExactly(
            new OwnerTotal("debian", "apt index", 1, 300, 0, Optional.empty()),
            new OwnerTotal("debian", "apt package", 1, 5000, 2, Optional.of(later)),
            new OwnerTotal(
                "local", "hosted", 2, 300, 4, Optional.of(START.plus(Duration.ofHours(1)))),
            new OwnerTotal("pypi", "proxy", 12, pypiBytes, 1, Optional.of(later)));
    assertThat(report.largestProjects()).hasSize(StoreStats.TOP_PROJECTS);
    assertThat(report.largestProjects().get(0))
        .isEqualTo(new ProjectTotal("debian", "hello", 1, 5000));
    assertThat(report.largestProjects().get(1)).isEqualTo(new ProjectTotal("pypi", "q11", 1, 1110));
    assertThat(report.largestProjects())
        .extracting(ProjectTotal::project)
        .containsExactly("hello", "q11", "q10", "q9", "q8", "q7", "q6", "q5", "q4", "q3");
  }

  @Test
  void anEmptyStoreHasNoRows() {
    StatsReport report = new StoreStats(store.meta, StoreStatsTest::kindOf).compute();
    assertThat(report).isEqualTo(new StatsReport(0, 0, java.util.List.of(), java.util.List.of()));
  }
}
