/**
 * The settings of the embedded platform ({@link
 * io.marvel.whisk.platform.settings.PlatformSettings}), a leaf package: the platform's
 * assembly ({@code whisk.platform}) and its parts ({@code controller}, {@code invoker}) read
 * them, so they live apart from the assembly to keep the parts from depending on it.
 */
package io.marvel.whisk.platform.settings;
