package dev.wheelhouse.cli.build;

import dev.wheelhouse.packaging.PackagingException;
import dev.wheelhouse.packaging.ProjectName;
import dev.wheelhouse.packaging.Tag;
import dev.wheelhouse.packaging.WheelFilename;
import dev.wheelhouse.packaging.tags.TargetEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks a built wheel before it is uploaded: its tags fit the target, and every ELF file inside it
 * (extension modules, vendored libraries) is native code for the target's architecture.
 */
final class WheelCheck {

  /**
   * The result.
   *
   * @param problems empty when the wheel fits; otherwise one line per problem
   * @param nativeFiles how many ELF files the wheel holds (all checked)
   * @param elfMachines their architectures' names, as found
   */
  record Report(List<String> problems, int nativeFiles, List<String> elfMachines) {
    boolean fits() {
      return problems.isEmpty();
    }
  }

  private WheelCheck() {}

  static Report check(Path wheel, TargetEnvironment target, Optional<ProjectName> project)
      throws IOException {
    List<String> problems = new ArrayList<>();
    String filename = String.valueOf(wheel.getFileName());
    WheelFilename parsed;
    try {
      parsed = WheelFilename.parse(filename);
    } catch (PackagingException e) {
      return new Report(List.of(e.getMessage()), 0, List.of());
    }
    project
        .filter(p -> !p.equals(parsed.project()))
        .ifPresent(p -> problems.add(filename + " is not a wheel of " + p.value()));
    boolean tagFits = false;
    for (Tag tag : parsed.tags()) {
      if (target.priority(tag).isPresent()) {
        tagFits = true;
        break;
      }
    }
    if (!tagFits) {
      problems.add(filename + ": no tag fits " + target.label());
    }
    int nativeFiles = 0;
    List<String> machines = new ArrayList<>();
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        OptionalInt machine = machineOf(zip, entry);
        if (machine.isEmpty()) {
          continue;
        }
        nativeFiles++;
        String name = ElfMachine.name(machine.getAsInt());
        if (!machines.contains(name)) {
          machines.add(name);
        }
        if (machine.getAsInt() != target.arch().elfMachine()) {
          problems.add(
              entry.getName()
                  + " is "
                  + name
                  + " code, not "
                  + ElfMachine.name(target.arch().elfMachine())
                  + " for "
                  + target.containerPlatform());
        }
      }
    }
    if (nativeFiles > 0 && parsed.isPlatformIndependent()) {
      problems.add(filename + " holds native code but is tagged for any platform");
    }
    return new Report(List.copyOf(problems), nativeFiles, List.copyOf(machines));
  }

  private static OptionalInt machineOf(ZipFile zip, ZipEntry entry) throws IOException {
    byte[] header = new byte[ElfMachine.HEADER_BYTES];
    try (InputStream in = zip.getInputStream(entry)) {
      int read = in.readNBytes(header, 0, header.length);
      return ElfMachine.of(header, read);
    }
  }
}
