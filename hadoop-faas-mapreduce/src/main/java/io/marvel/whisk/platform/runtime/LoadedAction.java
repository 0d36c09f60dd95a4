package io.marvel.whisk.platform.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

/**
 * A Java action loaded from its jar: the class loader over the jar and the entry-point name.
 * Like OpenWhisk's Java runtime, the loader is parent-first over the system class path, so the
 * runtime's Gson is the one every action sees; with the container's {@link ClassPathIndex} it
 * finds the action's own classes without walking the class path ({@link ActionClassLoader}).
 * Not thread-safe; the runtime runs one request at a time.
 */
final class LoadedAction implements AutoCloseable {
  private final URLClassLoader loader;
  private final Class<?> actionClass;
  private final String methodName;
  private final Path jarFile;

  private LoadedAction(URLClassLoader loader, Class<?> actionClass, String methodName,
      Path jarFile) {
    this.loader = loader;
    this.actionClass = actionClass;
    this.methodName = methodName;
    this.jarFile = jarFile;
  }

  /**
   * Decodes the jar, writes it under {@code workDir} and loads the entry point.
   *
   * @param main {@code Class} or {@code Class#method}
   * @param base64Jar the jar, base64 encoded (strict decoder, as the Java runtime does)
   * @param workDir directory for the jar file
   * @return the loaded action
   * @throws IOException if the jar cannot be written
   * @throws ReflectiveOperationException if the class or a method of that name is missing
   * @throws IllegalArgumentException if the code is not valid base64
   */
  static LoadedAction load(String main, String base64Jar, Path workDir)
      throws IOException, ReflectiveOperationException {
    byte[] jar = Base64.getDecoder().decode(base64Jar.trim());
    // Not Files.createTempFile: its random name seeds a SecureRandom, which loads the JDK's
    // security providers, tens of ms of a cold start. The name only has to be new in the
    // container's own temporary directory.
    Path jarFile = workDir.resolve("useraction-" + System.nanoTime() + ".jar");
    Files.write(jarFile, jar, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    int hash = main.indexOf('#');
    String className = hash < 0 ? main : main.substring(0, hash);
    String methodName = hash < 0 ? "main" : main.substring(hash + 1);
    URLClassLoader loader = new ActionClassLoader(jarFile.toUri().toURL(),
        ClassPathIndex.forThisJvm());
    try {
      Class<?> cls = loader.loadClass(className);
      // A loop, not a stream: a lambda's first call costs a cold container milliseconds.
      boolean declared = false;
      for (Method m : cls.getDeclaredMethods()) {
        declared |= m.getName().equals(methodName);
      }
      if (!declared) {
        throw new NoSuchMethodException(className + "." + methodName);
      }
      return new LoadedAction(loader, cls, methodName, jarFile);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      loader.close();
      Files.deleteIfExists(jarFile);
      throw e;
    }
  }

  /**
   * Calls the entry point with the thread's context class loader set to the action's loader.
   *
   * @param value a JSON object or array, which picks the overload
   * @return the action's result, never null
   * @throws NoSuchMethodException if there is no public static overload for this value
   * @throws InvocationTargetException if the action threw
   * @throws IllegalAccessException if the method is not accessible
   * @throws NullPointerException if the action returned null
   */
  JsonElement invoke(JsonElement value) throws NoSuchMethodException, InvocationTargetException,
      IllegalAccessException {
    Class<?> paramType = value.isJsonArray() ? JsonArray.class : JsonObject.class;
    Method method = actionClass.getMethod(methodName, paramType);
    boolean jsonResult = JsonObject.class.equals(method.getReturnType())
        || JsonArray.class.equals(method.getReturnType());
    if (!Modifier.isStatic(method.getModifiers()) || !jsonResult) {
      throw new NoSuchMethodException(actionClass.getName() + "." + methodName
          + " must be public static and return JsonObject or JsonArray");
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Object result = method.invoke(null, value);
      if (result == null) {
        throw new NullPointerException("The action returned null");
      }
      return (JsonElement) result;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Closes the class loader and deletes the action's jar file. */
  @Override
  public void close() throws IOException {
    loader.close();
    Files.deleteIfExists(jarFile);
  }
}
