package dev.wheelhouse.cli.token;

import dev.wheelhouse.cli.CommandFailure;
import dev.wheelhouse.cli.Invocation;
import dev.wheelhouse.cli.JsonOption;
import dev.wheelhouse.config.Tokens;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wheelhouse token}: makes a new API token. The server stores only the hash, so the token is
 * shown exactly once, beside the config snippet that registers its hash.
 */
@Command(
    name = "token",
    description = "Make a new API token and print its hash and an auth.tokens config snippet.")
public final class TokenCommand implements Callable<Integer> {
  // Kept to characters that need no quoting in the YAML snippet.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Invocation invocation;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "ci",
      description = "Name of the token in the config (default: ${DEFAULT-VALUE}).")
  private String name;

  @Mixin private JsonOption json;

  public TokenCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() {
    if (!NAME.matcher(name).matches()) {
      throw CommandFailure.usage(
          "invalid token name '" + name + "': use letters, digits, '.', '_' and '-'");
    }
    String token = Tokens.newToken();
    String hash = Tokens.hash(token);
    PrintStream out = invocation.out();
    if (json.enabled()) {
      Map<String, String> result = new LinkedHashMap<>();
      result.put("token", token);
      result.put("hash", hash);
      JsonOption.print(out, result);
      return ExitCode.OK;
    }
    out.println("token: " + token);
    out.println("hash:  " + hash);
    out.println();
    out.println("The token is shown only once: give it to clients as WHEELHOUSE_TOKEN.");
    out.println("Add its hash to the server config (auth.tokens):");
    out.println();
    out.println("auth:");
    out.println("  tokens:");
    out.println("    - name: " + name);
    out.println("      hash: \"" + hash + "\"");
    out.println("      roles: [upload, admin]");
    out.flush();
    return ExitCode.OK;
  }
}
