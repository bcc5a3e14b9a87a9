package dev.wheelhouse.server.lifecycle;

import dev.wheelhouse.storage.AccessCounts;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.MetadataStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts accesses in memory and writes them in batches ({@link #flush}, called on a schedule and at
 * shutdown): a served file costs a map update, not a database write. Thread-safe.
 */
public final class AccessRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(AccessRecorder.class);

  private final MetadataStore meta;
  private final Clock clock;
  private final ConcurrentMap<EntryRef, AccessCounts> pending = new ConcurrentHashMap<>();

  public AccessRecorder(MetadataStore meta, Clock clock) {
    this.meta = meta;
    this.clock = clock;
  }

  /** One access of {@code ref}, now. Never blocks; safe on an event loop. */
  public void accessed(EntryRef ref) {
    AccessCounts one = new AccessCounts(clock.instant(), 1);
    pending.merge(ref, one, AccessCounts::plus);
  }

  /** Entries with accesses not yet written. */
  public int pending() {
    return pending.size();
  }

  /** Writes what was counted since the last flush, in one batch. Blocking. */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<EntryRef, AccessCounts> batch = new HashMap<>();
    for (EntryRef ref : pending.keySet()) {
      AccessCounts counts = pending.remove(ref);
      if (counts != null) {
        batch.put(ref, counts);
      }
    }
    try {
      meta.recordAccesses(batch);
    } catch (RuntimeException e) {
      // Put them back: counts are not lost for one failed write.
      batch.forEach((ref, counts) -> pending.merge(ref, counts, AccessCounts::plus));
      LOG.warn("Recording {} access counts failed: {}", batch.size(), e.toString());
    }
  }
}
