package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The tags a CPython-on-Linux target accepts, best first, in the order of packaging's {@code
 * sys_tags()} as pip vendors it ({@code cpython_tags()} then {@code compatible_tags()}), with an
 * index for constant-time priority lookups.
 */
final class SupportedTags {
  /** Few distinct targets exist in practice; the bound only guards against unbounded input. */
  private static final int CACHE_SIZE = 64;

  /** glibc's last minor per major is unknown beyond 2.x; packaging assumes 50, and so do we. */
  private static final int ASSUMED_LAST_GLIBC_MINOR = 50;

  private static final Map<TargetEnvironment, SupportedTags> CACHE =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TargetEnvironment, SupportedTags> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  private final List<Tag> tags;
  private final Map<Tag, Integer> priorities;

  private SupportedTags(List<Tag> tags) {
    this.tags = List.copyOf(tags);
    Map<Tag, Integer> index = new HashMap<>(tags.size() * 2);
    for (int i = 0; i < tags.size(); i++) {
      index.putIfAbsent(tags.get(i), i);
    }
    this.priorities = index;
  }

  /** The table for {@code target}, built once and then shared. */
  static SupportedTags of(TargetEnvironment target) {
    synchronized (CACHE) {
      SupportedTags cached = CACHE.get(target);
      if (cached != null) {
        return cached;
      }
    }
    // Built outside the lock: two threads may build the same table, which is harmless.
    SupportedTags built = new SupportedTags(build(target));
    synchronized (CACHE) {
      SupportedTags raced = CACHE.putIfAbsent(target, built);
      return raced != null ? raced : built;
    }
  }

  List<Tag> tags() {
    return tags;
  }

  /** The index of {@code tag}, compared case-insensitively as packaging's Tag does. */
  OptionalInt priority(Tag tag) {
    Integer priority = priorities.get(tag);
    if (priority == null) {
      Tag lowered =
          new Tag(
              tag.interpreter().toLowerCase(Locale.ROOT),
              tag.abi().toLowerCase(Locale.ROOT),
              tag.platform().toLowerCase(Locale.ROOT));
      priority = lowered.equals(tag) ? null : priorities.get(lowered);
    }
    return priority == null ? OptionalInt.empty() : OptionalInt.of(priority);
  }

  private static List<Tag> build(TargetEnvironment target) {
    int minor = target.pythonMinor();
    String interpreter = "cp3" + minor;
    List<String> platforms = platforms(target.arch(), target.libc());
    List<Tag> tags = new ArrayList<>();

    // cpython_tags(): the interpreter's own ABI, the stable ABI, no ABI, then older stable ABIs.
    addForEachPlatform(tags, interpreter, interpreter, platforms);
    boolean abi3 = minor >= 2; // PEP 384 arrived in Python 3.2
    if (abi3) {
      addForEachPlatform(tags, interpreter, "abi3", platforms);
    }
    addForEachPlatform(tags, interpreter, "none", platforms);
    if (abi3) {
      for (int older = minor - 1; older >= 2; older--) {
        addForEachPlatform(tags, "cp3" + older, "abi3", platforms);
      }
    }

    // compatible_tags(): pure-Python tags for this platform, then for any platform.
    List<String> pythons = pythonRange(minor);
    for (String python : pythons) {
      addForEachPlatform(tags, python, "none", platforms);
    }
    tags.add(new Tag(interpreter, "none", "any"));
    for (String python : pythons) {
      tags.add(new Tag(python, "none", "any"));
    }
    return tags;
  }

  private static void addForEachPlatform(
      List<Tag> tags, String interpreter, String abi, List<String> platforms) {
    for (String platform : platforms) {
      tags.add(new Tag(interpreter, abi, platform));
    }
  }

  /** {@code py3X, py3, py3(X-1), ..., py30}, as packaging's _py_interpreter_range. */
  private static List<String> pythonRange(int minor) {
    List<String> pythons = new ArrayList<>();
    pythons.add("py3" + minor);
    pythons.add("py3");
    for (int older = minor - 1; older >= 0; older--) {
      pythons.add("py3" + older);
    }
    return pythons;
  }

  /** Platform tags best first: manylinux or musllinux from newest to oldest, then linux_{arch}. */
  static List<String> platforms(Arch arch, Libc libc) {
    List<String> platforms = new ArrayList<>();
    if (libc.kind() == Libc.Kind.GLIBC) {
      addManylinux(platforms, arch, libc);
    } else {
      for (int m = libc.minor(); m >= 0; m--) {
        platforms.add("musllinux_" + libc.major() + "_" + m + "_" + arch.machine());
      }
    }
    platforms.add("linux_" + arch.machine());
    return platforms;
  }

  /**
   * manylinux_M_m for every glibc from the target's down to the architecture's oldest, each legacy
   * name (manylinux2014, manylinux2010, manylinux1) right after the glibc version it stands for.
   */
  private static void addManylinux(List<String> platforms, Arch arch, Libc glibc) {
    for (int major = glibc.major(); major >= 2; major--) {
      int newest = major == glibc.major() ? glibc.minor() : ASSUMED_LAST_GLIBC_MINOR;
      int oldest = major == 2 ? arch.oldestGlibcMinor() : 0;
      for (int m = newest; m >= oldest; m--) {
        platforms.add("manylinux_" + major + "_" + m + "_" + arch.machine());
        if (major == 2) {
          String legacy = legacyManylinux(m);
          if (legacy != null) {
            platforms.add(legacy + "_" + arch.machine());
          }
        }
      }
    }
  }

  private static String legacyManylinux(int glibcMinor) {
    return switch (glibcMinor) {
      case 17 -> "manylinux2014";
      case 12 -> "manylinux2010";
      case 5 -> "manylinux1";
      default -> null;
    };
  }
}
