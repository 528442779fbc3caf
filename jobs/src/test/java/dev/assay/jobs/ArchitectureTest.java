package dev.assay.jobs;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, enforced. Each rule is built for a root package, so the
 * same rules also run against deliberate violations under {@code dev.assay.archviolation} (test
 * classes) and must catch every one.
 */
@Tag("fast")
class ArchitectureTest {
  /** Spark-free: statistics, the check DSL, verdicts, the config model and the table records. */
  static final List<String> CORE =
      List.of(
          "common",
          "common.stats",
          "common.checks",
          "common.verdict",
          "common.config",
          "common.records");

  /** The analysis jobs, one package each. */
  static final List<String> ANALYSIS =
      List.of(
          "jobs.profile",
          "jobs.drift",
          "jobs.label",
          "jobs.duplicates",
          "jobs.clients",
          "jobs.checks",
          "jobs.verdict",
          "jobs.gate");

  /** What analysis jobs must never use: the tools built on them. */
  static final List<String> TOOLS =
      List.of("jobs.cli", "jobs.bench", "jobs.demo", "jobs.redteam", "jobs.report", "jobs.explore");

  static List<ArchRule> rules(String root) {
    return List.of(
        noClasses()
            .that()
            .resideInAnyPackage(packages(root, CORE, false))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.spark..", "io.delta..", "org.apache.hadoop..", "scala..")
            .as("core is Spark-free"),
        noClasses()
            .that()
            .resideInAnyPackage(packages(root, CORE, false))
            .should()
            .dependOnClassesThat(
                resideInAPackage(root + "..")
                    .and(not(resideInAnyPackage(packages(root, CORE, false)))))
            .as("core depends on nothing else of Assay's"),
        noClasses()
            .that()
            .resideInAPackage(root + ".common..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(root + ".jobs..")
            .as("common never depends on jobs"),
        slices()
            .assignedFrom(analysisJobs(root))
            .should()
            .notDependOnEachOther()
            .as("analysis jobs do not depend on each other"),
        noClasses()
            .that()
            .resideInAnyPackage(packages(root, ANALYSIS, true))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(packages(root, TOOLS, true))
            .as("analysis jobs do not depend on tools"),
        slices().matching(root + ".(**)").should().beFreeOfCycles().as("no package cycles"));
  }

  /** One slice per analysis job's package; every other class in none. */
  private static SliceAssignment analysisJobs(String root) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        for (String job : ANALYSIS) {
          String name = root + "." + job;
          if (javaClass.getPackageName().equals(name)
              || javaClass.getPackageName().startsWith(name + ".")) {
            return SliceIdentifier.of(job);
          }
        }
        return SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "analysis jobs of " + root;
      }
    };
  }

  private static String[] packages(String root, List<String> names, boolean withSubpackages) {
    return names.stream()
        .map(n -> root + "." + n + (withSubpackages ? ".." : ""))
        .toArray(String[]::new);
  }

  private static List<String> violations(String root, JavaClasses classes) {
    List<String> failed = new ArrayList<>();
    for (ArchRule rule : rules(root)) {
      EvaluationResult result = rule.allowEmptyShould(true).evaluate(classes);
      if (result.hasViolation()) {
        failed.add(
            rule.getDescription()
                + ":\n  "
                + String.join("\n  ", result.getFailureReport().getDetails()));
      }
    }
    return failed;
  }

  @BeforeAll
  static void onlyAssaysOwnClasses() {
    // dependencies are judged by name; resolving Spark's classes too would take a minute
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
  }

  @Test
  void assayKeepsItsLayers() {
    // the build's own class folders: scanning the whole classpath for the package would read every
    // jar
    JavaClasses main =
        new ClassFileImporter()
            .importPaths(
                Path.of("target", "classes"),
                Path.of("..", "common", "target", "classes"),
                Path.of("..", "core", "target", "classes"));
    assertFalse(main.isEmpty());
    assertEquals(List.of(), violations("dev.assay", main));
  }

  @Test
  void everyRuleCatchesADeliberateViolation() {
    JavaClasses fixtures =
        new ClassFileImporter()
            .importPath(Path.of("target", "test-classes", "dev", "assay", "archviolation"));
    List<String> failed = violations("dev.assay.archviolation", fixtures);
    assertEquals(rules("dev.assay.archviolation").size(), failed.size(), String.join("\n", failed));
  }
}
