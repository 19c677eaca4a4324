package dev.pier.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Creates command objects for picocli, handing the run's {@link CliContext} to those that take one. */
final class ContextFactory implements CommandLine.IFactory {
  private final CliContext context;

  ContextFactory(CliContext context) {
    this.context = context;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    Constructor<K> constructor;
    try {
      constructor = type.getDeclaredConstructor(CliContext.class);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(type);
    }
    constructor.setAccessible(true);
    return constructor.newInstance(context);
  }
}
