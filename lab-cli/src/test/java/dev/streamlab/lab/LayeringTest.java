package dev.streamlab.lab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layering of docs/architecture.md, checked on the classes: each row of its table "Packages,
 * and what each may use" is one rule, read from the document itself, so that the table and the code
 * cannot drift apart. A package's classes may use the package itself, the JDK, and what its row's
 * last column names: packages of this project in backticks (without {@code dev.streamlab.}), and
 * libraries by the names in {@link #LIBRARIES}.
 */
class LayeringTest {

  private static final String PREFIX = "dev.streamlab.";

  /** The libraries the table may name, and the packages each stands for. */
  private static final Map<String, List<String>> LIBRARIES =
      Map.ofEntries(
          Map.entry("the JDK", List.of("java..", "javax..", "jdk..")),
          Map.entry("Spark", List.of("org.apache.spark..", "scala..")),
          Map.entry("Hadoop", List.of("org.apache.hadoop..")),
          Map.entry(
              "Kafka clients", List.of("org.apache.kafka.clients..", "org.apache.kafka.common..")),
          Map.entry("Kafka's broker", List.of("kafka..", "org.apache.kafka..")),
          Map.entry("Kafka Streams", List.of("org.apache.kafka.streams..")),
          Map.entry("Jackson", List.of("com.fasterxml.jackson..")),
          Map.entry("picocli", List.of("picocli..")),
          Map.entry("Log4j", List.of("org.apache.logging.log4j..")),
          Map.entry("SLF4J", List.of("org.slf4j..")),
          Map.entry("the JDK's HTTP server", List.of("com.sun.net.httpserver..")),
          Map.entry("the Prometheus client", List.of("io.prometheus..")));

  private static final Pattern ROW =
      Pattern.compile("^\\| `(dev\\.streamlab[a-z.]*)` \\|.*\\| (.+) \\|$");

  private static Map<String, List<String>> table;
  private static JavaClasses mainClasses;

  @BeforeAll
  static void importTheClasses() {
    // This project's main classes: its modules' classes or jars, not test classes or the test
    // kit's jar. ArchUnit's own DO_NOT_INCLUDE_TESTS knows target/test-classes only, not the
    // Spark 4 line's target/spark-4.2_2.13/test-classes.
    mainClasses =
        new ClassFileImporter()
            .withImportOption(
                location ->
                    !location.contains("/test-classes/") && !location.contains("-tests.jar"))
            .importPackages("dev.streamlab");
  }

  static Stream<String> rows() throws IOException {
    return table().keySet().stream();
  }

  /** Each row's package, and the packages it may use: read once. */
  private static synchronized Map<String, List<String>> table() throws IOException {
    if (table == null) {
      table = new LinkedHashMap<>();
      for (String line : Files.readAllLines(Shell.ROOT.resolve("docs/architecture.md"))) {
        Matcher row = ROW.matcher(line);
        if (row.matches()) {
          table.put(row.group(1), mayUse(row.group(1), row.group(2)));
        }
      }
    }
    return table;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachPackageUsesOnlyWhatItsRowNames(String pkg) throws IOException {
    List<String> allowed = new ArrayList<>(table().get(pkg));
    allowed.add(pkg);
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage(pkg)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(allowed.toArray(String[]::new))
            .because("docs/architecture.md says what " + pkg + " may use");
    rule.check(mainClasses);
  }

  @Test
  void everyPackageHasARowAndEveryRowAPackage() throws IOException {
    Set<String> packages =
        mainClasses.stream()
            .map(JavaClass::getPackageName)
            .filter(name -> name.startsWith(PREFIX))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(packages).containsExactlyInAnyOrderElementsOf(table().keySet());
    assertThat(table())
        .containsKeys("dev.streamlab.variance", "dev.streamlab.jobs", "dev.streamlab.lab");
  }

  @Test
  void noPackagesDependOnEachOtherInACycle() {
    slices().matching("dev.streamlab.(**)").should().beFreeOfCycles().check(mainClasses);
  }

  /** The packages the last column of {@code pkg}'s row names, remarks in parentheses left out. */
  private static List<String> mayUse(String pkg, String column) {
    List<String> packages = new ArrayList<>(LIBRARIES.get("the JDK"));
    for (String name : column.replaceAll("\\s*\\([^)]*\\)", "").split(",")) {
      String trimmed = name.strip();
      if (trimmed.startsWith("`") && trimmed.endsWith("`")) {
        packages.add(PREFIX + trimmed.substring(1, trimmed.length() - 1));
      } else if (LIBRARIES.containsKey(trimmed)) {
        packages.addAll(LIBRARIES.get(trimmed));
      } else {
        throw new IllegalStateException(
            "docs/architecture.md: the row of "
                + pkg
                + " names '"
                + trimmed
                + "', neither a package in backticks nor a library this test knows");
      }
    }
    return packages;
  }
}
