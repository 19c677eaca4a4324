package dev.pier.build.java;

import dev.pier.build.BuildContext;
import dev.pier.build.BuildFailure;
import dev.pier.build.Buildpack;
import dev.pier.build.lang.FirstMatch;
import dev.pier.build.lang.SourceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Builds Java apps the way Heroku's Java buildpack does, with the JDKs and the Maven installed on
 * the server:
 *
 * <ol>
 *   <li>choose the JDK: the lowest installed one at least as new as {@code system.properties}
 *       {@code java.runtime.version} or app.yaml {@code runtime: javaNN} ask for (17 when they
 *       do not), saying which and why;
 *   <li>Maven ({@code pom.xml}): {@code mvn -B -DskipTests package} with the app's Maven
 *       repository in the build cache ({@code /cache/m2}), so later builds download nothing;
 *       Gradle ({@code build.gradle(.kts)}): the system {@code gradle}, when installed (the
 *       wrapper's distribution download cannot work here);
 *   <li>the default web process starts the single runnable jar (with {@code -Dserver.port=$PORT}
 *       for Spring Boot) with its heap sized to the instance ({@link JvmCommand}); instances get
 *       the chosen JDK first on {@code PATH} and in {@code JAVA_HOME}.
 * </ol>
 */
public final class JavaBuildpack implements Buildpack {
  public static final String NAME = "java";

  static final String MAVEN_REPO = BuildContext.CACHE_MOUNT + "/m2";
  static final String GRADLE_HOME = BuildContext.CACHE_MOUNT + "/gradle";
  static final String SYSTEM_GRADLE = "/usr/bin/gradle";
  /**
   * The build tool's own JVM flags in the build sandbox, where the JVM would otherwise size its
   * heap to the host's memory (it cannot see the step's cgroup limit); a short-lived build JVM
   * also starts faster with only the C1 compiler.
   */
  static final String BUILD_JVM_OPTS = "-Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

  private final Path jvmDir;
  private final BooleanSupplier systemGradle;

  public JavaBuildpack() {
    this(Jdks.SYSTEM_DIR, () -> Files.isExecutable(Path.of(SYSTEM_GRADLE)));
  }

  /** A buildpack that looks for JDKs under {@code jvmDir}, for tests. */
  JavaBuildpack(Path jvmDir, BooleanSupplier systemGradle) {
    this.jvmDir = jvmDir;
    this.systemGradle = systemGradle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean detect(Path sourceDir) {
    return SourceFiles.isFile(sourceDir, "pom.xml") || isGradle(sourceDir)
        || JavaVersionRequest.appYamlSaysJava(sourceDir);
  }

  private static boolean isGradle(Path dir) {
    return SourceFiles.isFile(dir, "build.gradle") || SourceFiles.isFile(dir, "build.gradle.kts");
  }

  @Override
  public void compile(BuildContext ctx) throws BuildFailure {
    ctx.out().step("Choosing a JDK");
    JdkChoice choice = JdkChoice.choose(JavaVersionRequest.of(ctx.appDir()), Jdks.installed(jvmDir));
    Jdk jdk = choice.jdk();
    ctx.out().info("Using " + jdk.describe() + ": " + choice.reason());

    String jarDir;
    if (SourceFiles.isFile(ctx.appDir(), "pom.xml")) {
      maven(ctx, jdk);
      jarDir = "target";
    } else if (isGradle(ctx.appDir())) {
      gradle(ctx, jdk);
      jarDir = "build/libs";
    } else {
      throw new BuildFailure("app.yaml says runtime java, but there is no pom.xml or build.gradle:"
          + " Pier builds Java apps with Maven or Gradle");
    }

    String bin = jdk.home() + "/bin";
    ctx.defaultEnv("JAVA_HOME", jdk.home().toString());
    ctx.defaultEnv("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
    webProcess(ctx, jarDir, pomMentionsSpringBoot(ctx));
  }

  private void maven(BuildContext ctx, Jdk jdk) throws BuildFailure {
    ctx.out().step("Building with Maven");
    if (ctx.hasFile("mvnw")) {
      ctx.out().info("Using the server's Maven rather than mvnw (the wrapper would download Maven again)");
    }
    if (Files.isDirectory(ctx.cacheDir().resolve("m2"))) {
      ctx.out().info("Using the Maven repository cached by earlier builds");
    }
    ctx.out().info("Running 'mvn -B -DskipTests package'");
    List<String> argv = List.of("mvn", "-B", "-ntp", "-DskipTests",
        "-Dmaven.repo.local=" + MAVEN_REPO, "package");
    FirstMatch anyError = new FirstMatch(JavaBuildpack::isMavenError, ctx.out()::info);
    FirstMatch compileError = new FirstMatch(JavaBuildpack::isCompilerError, anyError);
    int code = ctx.run("mvn package", argv, env(ctx, jdk), compileError);
    if (code != 0) {
      FirstMatch why = compileError.first() != null ? compileError : anyError;
      throw new BuildFailure(why.failure("mvn package", code).replace("[ERROR] ", ""));
    }
  }

  /** An error line of Maven's output. */
  static boolean isMavenError(String line) {
    return line.startsWith("[ERROR] ") && line.strip().length() > "[ERROR]".length()
        && !line.contains("COMPILATION ERROR");
  }

  /** A javac error naming its file and position: {@code [ERROR] /app/src/X.java:[3,5] ...}. */
  static boolean isCompilerError(String line) {
    return line.startsWith("[ERROR] ") && line.contains(".java:[");
  }

  private void gradle(BuildContext ctx, Jdk jdk) throws BuildFailure {
    ctx.out().step("Building with Gradle");
    if (ctx.hasFile("gradlew")) {
      ctx.out().warn("gradlew found, but the Gradle wrapper cannot run here: it downloads its"
          + " Gradle distribution from services.gradle.org, which Pier's build network does not reach");
    }
    if (!systemGradle.getAsBoolean()) {
      throw new BuildFailure("Gradle is not installed on this Pier server (no " + SYSTEM_GRADLE
          + ") and the Gradle wrapper cannot download it here: build with Maven (pom.xml), or ask"
          + " the server's operator to install Gradle (apt-get install gradle)");
    }
    ctx.out().info("Running 'gradle build -x test' with the server's Gradle");
    List<String> argv = List.of("gradle", "--no-daemon", "--console=plain", "-g", GRADLE_HOME,
        "build", "-x", "test");
    FirstMatch error = new FirstMatch(l -> l.contains("error:") || l.startsWith("FAILURE:"), ctx.out()::info);
    int code = ctx.run("gradle build", argv, env(ctx, jdk), error);
    if (code != 0) throw new BuildFailure(error.failure("gradle build", code));
  }

  private static Map<String, String> env(BuildContext ctx, Jdk jdk) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", jdk.home().toString());
    env.put("MAVEN_OPTS", ctx.configVars().getOrDefault("MAVEN_OPTS", BUILD_JVM_OPTS));
    env.put("GRADLE_OPTS", ctx.configVars().getOrDefault("GRADLE_OPTS", BUILD_JVM_OPTS));
    return env;
  }

  private static boolean pomMentionsSpringBoot(BuildContext ctx) {
    return SourceFiles.read(ctx.appDir(), "pom.xml").map(t -> t.contains("spring-boot")).orElse(false);
  }

  private static void webProcess(BuildContext ctx, String jarDir, boolean springBootPom) {
    ctx.out().step("Looking for a runnable jar in " + jarDir + "/");
    List<RunnableJar> jars = RunnableJar.in(ctx.appDir(), jarDir);
    if (jars.size() == 1) {
      RunnableJar jar = jars.getFirst();
      if (springBootPom && !jar.springBoot()) jar = new RunnableJar(jar.relativePath(), true);
      String command = JvmCommand.forJar(jar);
      ctx.out().info("Found " + jar.relativePath() + (jar.springBoot() ? " (Spring Boot)" : ""));
      ctx.out().info("Default web command: " + command);
      ctx.defaultProcessType("web", command);
    } else if (jars.isEmpty()) {
      ctx.out().info("No jar with a Main-Class in " + jarDir + "/: declare the web command in a Procfile");
    } else {
      List<String> names = new ArrayList<>();
      jars.forEach(j -> names.add(j.relativePath()));
      ctx.out().info("Several runnable jars (" + String.join(", ", names)
          + "): declare which one runs in a Procfile, e.g. 'web: java -jar " + names.getFirst() + "'");
    }
  }
}
