package io.marvel.whisk.platform.runtime;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of an action's jar: parent-first over the system class loader, like
 * OpenWhisk's Java runtime, so the class path's classes (the runtime's Gson above all) are the
 * ones the action sees. With a {@link ClassPathIndex} it skips one thing: a class of a package
 * that neither the class path nor a module of the JDK provides is looked up in the action's jar
 * before the class path, so that loading the action's own classes does not open every jar of
 * the class path only to find nothing there. The outcome is the same as the plain lookup's
 * whenever the index is right, and {@link ClassPathIndex#load} accepts an index only for the
 * class path it was written for, unchanged; a class the action's jar lacks is still looked up
 * on the class path.
 */
final class ActionClassLoader extends URLClassLoader {
  /** Null: the plain parent-first lookup for every class. */
  private final ClassPathIndex index;

  /**
   * @param jar the action's jar
   * @param index the packages of the system class path, or null
   */
  ActionClassLoader(URL jar, ClassPathIndex index) {
    super(new URL[] {jar}, ClassLoader.getSystemClassLoader());
    this.index = index;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    int dot = name.lastIndexOf('.');
    String packageName = dot < 0 ? "" : name.substring(0, dot);
    if (index == null || inBootLayer(packageName) || index.mayProvide(packageName)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        try {
          c = findClass(name);
        } catch (ClassNotFoundException e) {
          // Not the action's: what the parent says (a class that exists nowhere).
          c = getParent().loadClass(name);
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  /**
   * @return whether a module of the JDK (or of the boot layer) holds the package: the system
   *     loader serves those packages from their module, never from the class path
   */
  private static boolean inBootLayer(String packageName) {
    for (Module m : ModuleLayer.boot().modules()) {
      if (m.getPackages().contains(packageName)) {
        return true;
      }
    }
    return false;
  }
}
