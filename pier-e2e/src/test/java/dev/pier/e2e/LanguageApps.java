package dev.pier.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unchanged-looking apps in the languages the Java, Python and Go buildpacks build, each a web
 * page that names the runtime it runs on.
 */
final class LanguageApps {
  private LanguageApps() {}

  /**
   * A Javalin app built with Maven and the shade plugin into one runnable jar, asking for Java
   * 17 in system.properties. Its page names the Java version, the JDK directory, the maximum heap
   * and {@code greeting}.
   */
  static Map<String, String> javalin(String greeting) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("system.properties", "java.runtime.version=17\n");
    files.put("pom.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId>
          <artifactId>hello-javalin</artifactId>
          <version>1.0</version>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
            <dependency>
              <groupId>io.javalin</groupId>
              <artifactId>javalin</artifactId>
              <version>6.7.0</version>
            </dependency>
            <dependency>
              <groupId>org.slf4j</groupId>
              <artifactId>slf4j-simple</artifactId>
              <version>2.0.17</version>
            </dependency>
          </dependencies>
          <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.13.0</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-surefire-plugin</artifactId>
                <version>3.5.2</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-shade-plugin</artifactId>
                <version>3.6.0</version>
                <executions>
                  <execution>
                    <phase>package</phase>
                    <goals><goal>shade</goal></goals>
                    <configuration>
                      <createDependencyReducedPom>false</createDependencyReducedPom>
                      <transformers>
                        <transformer implementation="org.apache.maven.plugins.shade.resource.ManifestResourceTransformer">
                          <mainClass>example.App</mainClass>
                        </transformer>
                      </transformers>
                    </configuration>
                  </execution>
                </executions>
              </plugin>
            </plugins>
          </build>
        </project>
        """);
    files.put("src/main/java/example/App.java", """
        package example;

        import io.javalin.Javalin;

        public class App {
          public static void main(String[] args) {
            int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "7070"));
            Javalin.create().get("/", ctx -> ctx.result(
                "%s from Javalin on Java " + System.getProperty("java.version")
                    + " in " + System.getProperty("java.home")
                    + "; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB"
                    + "; MEMORY_LIMIT " + System.getenv("MEMORY_LIMIT"))).start(port);
          }
        }
        """.formatted(greeting));
    return files;
  }

  /**
   * A standard-library Python web app (http.server) whose page says {@code greeting} and names
   * the Python version and its prefix (the virtualenv).
   */
  static Map<String, String> pythonHttpServer(String greeting) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("requirements.txt", "# standard library only\n");
    files.put("app.py", """
        import os
        import sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


        class Hello(BaseHTTPRequestHandler):
            def do_GET(self):
                body = ("%s from Python %%s in %%s" %% (sys.version.split()[0], sys.prefix)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)


        print("python app listening on", os.environ["PORT"])
        ThreadingHTTPServer(("", int(os.environ["PORT"])), Hello).serve_forever()
        """.formatted(greeting));
    return files;
  }

  /** A standard-library Go web app (net/http) whose page names the Go version. */
  static Map<String, String> goNetHttp() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("go.mod", "module example.com/gohello\n\ngo 1.19\n");
    files.put("main.go", """
        package main

        import (
        	"fmt"
        	"log"
        	"net/http"
        	"os"
        	"runtime"
        )

        func main() {
        	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
        		fmt.Fprintf(w, "Hello from Go %s (%s/%s)", runtime.Version(), runtime.GOOS, runtime.GOARCH)
        	})
        	log.Printf("go app listening on %s", os.Getenv("PORT"))
        	log.Fatal(http.ListenAndServe(":"+os.Getenv("PORT"), nil))
        }
        """);
    return files;
  }
}
