package io.rtmkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the native libraries: the JNI wrapper (librtmkit_jni) and the C library it links
 * (librtmkit).
 *
 * <p>First through {@code System.loadLibrary("rtmkit_jni")} (java.library.path, the system's library
 * directories); if that fails, from the jar: the resource folder {@code rtmkit-<platform>/} (JNA's
 * names: linux-x86-64, linux-aarch64, darwin-x86-64, darwin-aarch64, win32-x86-64) lists its files in
 * load order in {@code natives.txt}; they are extracted to a private temporary directory and loaded
 * with {@code System.load}, the C library first. The JNI library finds its sibling through its
 * RPATH ($ORIGIN) as well.
 */
public final class Loader {
  private static boolean loaded;
  private static String source = "";

  private Loader() {}

  /** Where the libraries came from: "system" or "jar:&lt;folder&gt;" (after {@link #load()}). */
  public static synchronized String source() {
    return source;
  }

  /** The resource folder of this platform, e.g. rtmkit-linux-x86-64. */
  public static String platformFolder() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.startsWith("windows") ? "win32" : os.startsWith("mac") ? "darwin" : os.startsWith("linux") ? "linux" : os;
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86-64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
    return "rtmkit-" + o + "-" + a;
  }

  public static synchronized void load() {
    if (loaded) return;
    if (!Boolean.getBoolean("rtmkit.native.jarOnly")) {
      try {
        System.loadLibrary("rtmkit_jni");
        loaded = true;
        source = "system";
        return;
      } catch (UnsatisfiedLinkError e) {
        // not installed: fall back to the jar's copy
      }
    }
    String folder = platformFolder();
    try {
      List<String> files = index(folder);
      Path dir = Files.createTempDirectory("rtmkit-native-");
      dir.toFile().deleteOnExit();
      List<Path> extracted = new ArrayList<>();
      for (String f : files) {
        Path p = dir.resolve(f);
        try (InputStream in = Loader.class.getResourceAsStream("/" + folder + "/" + f)) {
          if (in == null) throw new UnsatisfiedLinkError("rtmkit: resource " + folder + "/" + f + " is missing");
          Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        p.toFile().deleteOnExit();
        extracted.add(p);
      }
      for (Path p : extracted) System.load(p.toAbsolutePath().toString());
      loaded = true;
      source = "jar:" + folder;
    } catch (IOException e) {
      UnsatisfiedLinkError err = new UnsatisfiedLinkError("rtmkit: cannot extract the native libraries: " + e);
      err.initCause(e);
      throw err;
    }
  }

  private static List<String> index(String folder) throws IOException {
    try (InputStream in = Loader.class.getResourceAsStream("/" + folder + "/natives.txt")) {
      if (in == null)
        throw new UnsatisfiedLinkError("rtmkit: no native libraries for " + folder
            + " in the jar, and librtmkit_jni is not on java.library.path");
      List<String> files = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          line = line.trim();
          if (!line.isEmpty() && !line.startsWith("#")) files.add(line);
        }
      }
      return files;
    }
  }
}
