package dev.wheelhouse.packaging.tags;

import dev.wheelhouse.packaging.DistributionFilename;
import dev.wheelhouse.packaging.SdistFilename;
import dev.wheelhouse.packaging.Tag;
import dev.wheelhouse.packaging.Version;
import dev.wheelhouse.packaging.WheelFilename;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One index file whose name parsed as a wheel or sdist, with what a selection needs to know about
 * it for one target.
 *
 * @param file the file as the index offers it
 * @param name its parsed name
 * @param versionText the version exactly as the file name spells it (for {@code ===})
 * @param tagPriority for a wheel, its best tag's priority on the target; empty if none fits or for
 *     an sdist
 * @param fitsPython whether the file's requires-python admits the target (or is absent or invalid)
 * @param hashAllowed whether one of its hashes is among the allowed ones
 */
record Candidate(
    CandidateFile file,
    DistributionFilename name,
    String versionText,
    OptionalInt tagPriority,
    boolean fitsPython,
    boolean hashAllowed) {

  private static final Pattern BUILD_TAG = Pattern.compile("([0-9]+)(.*)", Pattern.DOTALL);
  private static final Pattern DASH = Pattern.compile("-");

  /** A wheel build tag as pip compares it: its leading number, then the rest as a string. */
  record BuildTag(BigInteger number, String rest) implements Comparable<BuildTag> {
    static Optional<BuildTag> of(Optional<String> buildTag) {
      return buildTag.map(
          text -> {
            Matcher m = BUILD_TAG.matcher(text);
            // Wheel file name parsing guarantees a leading digit; fall back to the text alone.
            return m.matches()
                ? new BuildTag(new BigInteger(m.group(1)), m.group(2))
                : new BuildTag(BigInteger.ZERO, text);
          });
    }

    @Override
    public int compareTo(BuildTag other) {
      int c = number.compareTo(other.number);
      return c != 0 ? c : rest.compareTo(other.rest);
    }
  }

  /** Build tags order with "no build tag" lowest, as pip's empty tuple sorts below any other. */
  static final Comparator<Optional<BuildTag>> BUILD_TAG_ORDER =
      Comparator.comparing(
          tag -> tag.orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()));

  /** The version text as spelled in a parsed wheel or sdist file name. */
  static String versionText(DistributionFilename name) {
    String filename = name.filename();
    if (name instanceof WheelFilename) {
      return DASH.split(filename, -1)[1];
    }
    SdistFilename sdist = (SdistFilename) name;
    return filename.substring(
        sdist.distribution().length() + 1, filename.length() - sdist.extension().length());
  }

  /** The best (lowest) priority among a wheel's tags, empty if none is supported. */
  static OptionalInt tagPriority(WheelFilename wheel, SupportedTags supported) {
    int best = Integer.MAX_VALUE;
    for (Tag tag : wheel.tags()) {
      OptionalInt priority = supported.priority(tag);
      if (priority.isPresent() && priority.getAsInt() < best) {
        best = priority.getAsInt();
      }
    }
    return best == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(best);
  }

  boolean isWheel() {
    return name instanceof WheelFilename;
  }

  Version version() {
    return name.version();
  }

  boolean yanked() {
    return file.yanked();
  }

  /** Whether pip's link evaluation keeps the file: installable here, and in an allowed format. */
  boolean fits(boolean sdistsAllowed) {
    return fitsPython && (isWheel() ? tagPriority.isPresent() : sdistsAllowed);
  }

  Optional<BuildTag> buildTag() {
    return name instanceof WheelFilename wheel ? BuildTag.of(wheel.buildTag()) : Optional.empty();
  }
}
