package dev.wheelhouse.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Whether a person is watching, so that progress is drawn for people and never into logs. */
final class Terminal {
  private Terminal() {}

  // Up to JDK 21 a console exists only when the process is attached to a terminal. From JDK 22 on
  // there may always be one, and Console.isTerminal() (absent from JDK 17) tells the two apart.
  @SuppressWarnings("SystemConsoleNull")
  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException e) {
      return true;
    } catch (IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }
}
