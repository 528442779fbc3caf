package dev.assay.jobs.explore;

import dev.assay.common.AssayException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Decides whether a statement only reads, by Spark's own parser rather than by its text: the
 * statement must parse into one query plan made only of read-only relational nodes, whose relations
 * are the integrity tables, the dataset views and the query's own common table expressions.
 * Commands (INSERT in any position, UPDATE, DELETE, MERGE, CREATE, SET, CACHE, ADD, EXPLAIN, SHOW),
 * file relations ({@code csv.`/etc/passwd`}), table-valued functions that read files and reflection
 * ({@code reflect}, {@code java_method}) are refused, however the text hides them (nested comments,
 * unicode escapes).
 */
final class ReadOnlyQuery {
  /** Plan nodes a query may hold: relational operators that only read. */
  private static final Set<String> READ_ONLY_NODES =
      Set.of(
          "Project",
          "Filter",
          "Aggregate",
          "Join",
          "Sort",
          "GlobalLimit",
          "LocalLimit",
          "Offset",
          "Tail",
          "Union",
          "Intersect",
          "Except",
          "Distinct",
          "Deduplicate",
          "SubqueryAlias",
          "UnresolvedRelation",
          "UnresolvedWith",
          "CTERelationDef",
          "CTERelationRef",
          "WithCTE",
          "Window",
          "WithWindowDefinition",
          "OneRowRelation",
          "LocalRelation",
          "UnresolvedInlineTable",
          "Generate",
          "Sample",
          "Pivot",
          "Unpivot",
          "UnresolvedHint",
          "Expand",
          "Repartition",
          "RepartitionByExpression",
          "RebalancePartitions",
          "LateralJoin",
          "UnresolvedSubqueryColumnAliases",
          "UnresolvedHaving",
          "UnresolvedTableValuedFunction",
          "UnresolvedTVFAliases",
          "UnresolvedGenerate");

  /** Table-valued functions that read nothing outside the query. */
  private static final Set<String> TABLE_FUNCTIONS =
      Set.of(
          "range",
          "explode",
          "explode_outer",
          "inline",
          "inline_outer",
          "posexplode",
          "posexplode_outer",
          "stack");

  /** Functions that call Java methods. */
  private static final Set<String> REFLECTION = Set.of("reflect", "java_method", "try_reflect");

  private ReadOnlyQuery() {}

  /**
   * Throws a bad-input error unless {@code query} is one read-only query over {@code relations}
   * (SQL names such as {@code integrity.verdicts}, {@code adult} or {@code
   * delta.`/lake/_integrity/verdicts`}).
   */
  static void check(SparkSession spark, String query, Set<String> relations) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(query);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw refused(
          query,
          "it does not parse as one statement (" + message.lines().findFirst().orElse("") + ")");
    }
    Set<List<String>> allowed = new HashSet<>();
    for (String relation : relations) {
      try {
        allowed.add(
            key(
                CollectionConverters.asJava(
                    spark.sessionState().sqlParser().parseMultipartIdentifier(relation))));
      } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
        throw new IllegalStateException("Assay's own table name does not parse: " + relation, e);
      }
    }
    new Walk(query, allowed).plan(plan);
  }

  /** A relation's name parts as compared: lower case, except a path after a file format. */
  private static List<String> key(List<String> parts) {
    List<String> key = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      key.add(
          i == parts.size() - 1 && parts.size() == 2 && parts.get(i).contains("/")
              ? parts.get(i)
              : parts.get(i).toLowerCase(Locale.ROOT));
    }
    return key;
  }

  private static AssayException refused(String query, String why) {
    String first = query.strip().lines().findFirst().orElse("");
    return AssayException.invalid(
        "Only queries are allowed here (one SELECT, WITH, FROM, VALUES or TABLE"
            + " statement over the integrity tables and dataset views), not '"
            + (first.length() > 120 ? first.substring(0, 117) + "..." : first)
            + "': "
            + why
            + ". The integrity tables are written by"
            + " Assay's jobs alone.");
  }

  /**
   * One pass over a plan, its subqueries and expressions, refusing the first node that is not
   * read-only.
   */
  private static final class Walk {
    private final String query;
    private final Set<List<String>> allowed;
    private final Set<String> commonTables = new HashSet<>();

    Walk(String query, Set<List<String>> allowed) {
      this.query = query;
      this.allowed = allowed;
    }

    void plan(LogicalPlan plan) {
      String node = plan.getClass().getSimpleName();
      if (!READ_ONLY_NODES.contains(node)) {
        throw refused(query, "it holds " + node + ", which is not a read-only query operator");
      }
      if (plan instanceof UnresolvedWith with) {
        for (scala.Tuple3<String, ?, ?> cte : CollectionConverters.asJava(with.cteRelations())) {
          commonTables.add(cte._1().toLowerCase(Locale.ROOT));
        }
      }
      if (plan instanceof UnresolvedRelation relation) {
        List<String> name = CollectionConverters.asJava(relation.multipartIdentifier());
        boolean commonTable =
            name.size() == 1 && commonTables.contains(name.get(0).toLowerCase(Locale.ROOT));
        if (!commonTable && !allowed.contains(key(name))) {
          throw refused(
              query,
              "it reads "
                  + String.join(".", name)
                  + ", which is neither an integrity table nor a"
                  + " dataset view (files and other tables are not readable here)");
        }
      }
      if (plan instanceof UnresolvedTableValuedFunction function) {
        List<String> name = CollectionConverters.asJava(function.name());
        if (name.size() != 1 || !TABLE_FUNCTIONS.contains(name.get(0).toLowerCase(Locale.ROOT))) {
          throw refused(
              query,
              "it calls the table-valued function "
                  + String.join(".", name)
                  + "; only "
                  + new java.util.TreeSet<>(TABLE_FUNCTIONS)
                  + " are allowed");
        }
      }
      for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
        expression(expression);
      }
      for (TreeNode<?> inner : CollectionConverters.asJava(plan.innerChildren())) {
        node(inner);
      }
      for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
        plan(child);
      }
    }

    private void node(TreeNode<?> node) {
      if (node instanceof LogicalPlan plan) {
        plan(plan);
      } else if (node instanceof Expression expression) {
        expression(expression);
      } else {
        throw refused(
            query,
            "it holds "
                + node.getClass().getSimpleName()
                + ", which is not a read-only query"
                + " operator");
      }
    }

    private void expression(Expression expression) {
      if (expression instanceof UnresolvedFunction function) {
        List<String> name = CollectionConverters.asJava(function.nameParts());
        if (REFLECTION.contains(name.get(name.size() - 1).toLowerCase(Locale.ROOT))) {
          throw refused(query, "it calls " + String.join(".", name) + ", which runs Java methods");
        }
      }
      if (expression
          instanceof org.apache.spark.sql.catalyst.expressions.SubqueryExpression subquery) {
        plan(subquery.plan());
      }
      for (Expression child : CollectionConverters.asJava(expression.children())) {
        expression(child);
      }
    }
  }
}
