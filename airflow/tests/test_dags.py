"""Static checks of the DAG files (no Airflow needed), cross-checked with the CLI the Java build describes.

Each check is a function returning a list of problems, so the mutation tests at the end can run
the very same checks on broken copies of the DAG sources and show that they bite.
"""

import json
import os
import re
import unittest
import zipfile
from pathlib import Path

import assay_submit
import dag_checker

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"
JAR = REPO / "jobs" / "target" / "assay-jobs-0.1.0.jar"
MANIFEST = REPO / "jobs" / "target" / "cli-manifest.json"
BUILD_HINT = "run `mvn -B verify`: the Maven build writes it before it runs these tests"

# The exact graph of each DAG (file name = dag_id).
EXPECTED = {
    "assay_nightly": {
        "tasks": {"profile", "feature_drift", "label_drift", "duplicates", "client_anomalies", "checks",
                  "verdict", "publish"},
        "edges": {
            ("profile", "feature_drift"),
            ("feature_drift", "checks"),
            ("label_drift", "checks"),
            ("duplicates", "checks"),
            ("client_anomalies", "checks"),
            ("checks", "verdict"),
            ("verdict", "publish"),
        },
    },
    "retrain_gated": {
        "tasks": {"gate", "train"},
        "edges": {("gate", "train")},
    },
}
# Tasks that must not retry (every other task must).
NO_RETRY = {"retrain_gated": {"gate"}}

# SparkSubmitOperator parameters of the pinned provider (apache-airflow-providers-apache-spark 5.3.x).
SPARK_SUBMIT_PARAMS = {
    "application", "conf", "properties_file", "conn_id", "files", "py_files", "archives", "driver_class_path",
    "jars", "java_class", "packages", "exclude_packages", "repositories", "total_executor_cores",
    "executor_cores", "executor_memory", "driver_memory", "keytab", "principal", "proxy_user", "name",
    "num_executors", "status_poll_interval", "application_args", "env_vars", "verbose", "spark_binary",
    "use_krb5ccache", "deploy_mode", "yarn_queue",
}
# BaseOperator parameters valid on Airflow 2.10 and 3.x (sla is 2.x only, so it is left out).
BASE_OPERATOR_PARAMS = {
    "task_id", "owner", "email", "retries", "retry_delay", "retry_exponential_backoff", "max_retry_delay",
    "execution_timeout", "trigger_rule", "pool", "pool_slots", "queue", "priority_weight", "doc_md", "inlets",
    "outlets", "params", "depends_on_past", "wait_for_downstream", "do_xcom_push", "on_failure_callback",
    "on_success_callback", "on_retry_callback",
}
TASK_DECORATOR_PARAMS = BASE_OPERATOR_PARAMS | {"multiple_outputs"}

# Where each deployed file (under ASSAY_HOME) comes from in the repository; others mirror it.
DEPLOYED_FROM = {"assay-jobs-0.1.0.jar": "jobs/target/assay-jobs-0.1.0.jar"}


def load_manifest():
    path = Path(os.environ.get("ASSAY_CLI_MANIFEST") or MANIFEST)
    if not path.is_file():
        raise AssertionError(f"CLI manifest {path} is missing; {BUILD_HINT}")
    return json.loads(path.read_text(encoding="utf-8"))


def dag_source(dag_id):
    return (DAGS / f"{dag_id}.py").read_text(encoding="utf-8")


# --- checks: each returns a list of problems -------------------------------------------------

def structure_problems(info, dag_id):
    expected = EXPECTED[dag_id]
    problems = []
    if info.dag.get("dag_id") != dag_id:
        problems.append(f"dag_id is {info.dag.get('dag_id')!r}, expected {dag_id!r}")
    tasks = set(info.tasks)
    if tasks != expected["tasks"]:
        problems.append(f"tasks: missing {sorted(expected['tasks'] - tasks)}, "
                        f"unexpected {sorted(tasks - expected['tasks'])}")
    if info.edges != expected["edges"]:
        problems.append(f"edges: missing {sorted(expected['edges'] - info.edges)}, "
                        f"unexpected {sorted(info.edges - expected['edges'])}")
    return problems


def settings_problems(info):
    problems = []
    if info.dag.get("catchup") is not False:
        problems.append(f"catchup is {info.dag.get('catchup')!r}, expected False")
    if info.dag.get("max_active_runs") != 1:
        problems.append(f"max_active_runs is {info.dag.get('max_active_runs')!r}, expected 1")
    if info.dag.get("start_date") is None or info.dag["start_date"].tzinfo is None:
        problems.append("start_date must be a fixed, timezone-aware datetime")
    if not info.dag.get("schedule"):
        problems.append("no schedule")
    return problems


def retries_problems(info, dag_id):
    problems = []
    no_retry = NO_RETRY.get(dag_id, set())
    for task_id in info.tasks:
        retries = info.effective(task_id, "retries", 0)
        if task_id in no_retry and retries != 0:
            problems.append(f"task {task_id}: retries={retries!r}, expected 0 (it must fail, never retry)")
        if task_id not in no_retry and not (isinstance(retries, int) and retries > 0):
            problems.append(f"task {task_id}: retries={retries!r}, expected > 0")
    return problems


def kwargs_problems(info):
    problems = []
    for task in info.tasks.values():
        allowed = (SPARK_SUBMIT_PARAMS | BASE_OPERATOR_PARAMS if task.kind == "SparkSubmitOperator"
                   else TASK_DECORATOR_PARAMS)
        unknown = sorted(set(task.kwargs) - allowed)
        if unknown:
            problems.append(f"task {task.task_id} ({task.kind}): unknown arguments {unknown}")
    return problems


def is_assay_task(task):
    return task.kind == "SparkSubmitOperator" and (
        "java_class" in task.kwargs or task.kwargs.get("application") == assay_submit.setting("jar"))


def args_problems(args, manifest, where):
    """Checks one assay argument list (what follows the jar) against the CLI manifest."""
    commands = manifest["commands"]
    words = []
    for arg in args:
        if str(arg).startswith("-"):
            break
        words.append(arg)
    for n in range(len(words), 0, -1):  # longest subcommand path first ("bench checks")
        if " ".join(words[:n]) in commands:
            break
    else:
        return [f"{where}: {args[:1]} is not an assay command"]
    command = " ".join(words[:n])
    spec = commands[command]
    options = {name: opt for opt in spec["options"] for name in opt["names"]}
    problems, seen, positionals = [], set(), 0
    rest = [str(a) for a in args[n:]]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("-") and token != "-":
            name, eq, _ = token.partition("=")
            opt = options.get(name)
            if opt is None:
                problems.append(f"{where}: `{command}` has no option {name}")
            else:
                seen.add(tuple(opt["names"]))
                if opt["takes_value"] and not eq:
                    if i + 1 == len(rest):
                        problems.append(f"{where}: option {name} of `{command}` needs a value")
                    i += 1  # skip the value
                elif not opt["takes_value"] and eq:
                    problems.append(f"{where}: option {name} of `{command}` takes no value")
        else:
            positionals += 1
        i += 1
    for opt in spec["options"]:
        if opt["required"] and tuple(opt["names"]) not in seen:
            problems.append(f"{where}: `{command}` needs {'/'.join(opt['names'])}")
    limit = spec["positionals"]
    if limit != -1 and positionals > limit:
        problems.append(f"{where}: `{command}` takes at most {limit} positional arguments, got {positionals}")
    return problems


def cli_problems(info, manifest):
    problems = []
    for task in info.tasks.values():
        if not is_assay_task(task):
            continue
        where = f"task {task.task_id}"
        if task.kwargs.get("java_class") != manifest["main_class"]:
            problems.append(f"{where}: java_class {task.kwargs.get('java_class')!r}, "
                            f"expected {manifest['main_class']!r}")
        args = task.kwargs.get("application_args")
        if not args:
            problems.append(f"{where}: no application_args")
        else:
            problems += args_problems(args, manifest, where)
    return problems


def jobs_problems(info, manifest):
    """The nightly DAG runs exactly the CLI's jobs, each in a task named after its command."""
    problems, commands = [], set()
    for task in info.tasks.values():
        if is_assay_task(task) and task.kwargs.get("application_args"):
            command = task.kwargs["application_args"][0]
            commands.add(command)
            if task.task_id != command.replace("-", "_"):
                problems.append(f"task {task.task_id} runs `{command}`; expected task_id "
                                f"{command.replace('-', '_')!r}")
    jobs = set(manifest["jobs"])
    if commands != jobs:
        problems.append(f"jobs: the CLI has {sorted(jobs - commands)} that no task runs; "
                        f"tasks run {sorted(commands - jobs)} that are not CLI jobs")
    for job in sorted(jobs - set(manifest["commands"])):
        problems.append(f"manifest: job {job} is not among its commands")
    return problems


def gate_argv_problems(argv, manifest):
    problems = []
    if "--class" not in argv or argv[argv.index("--class") + 1] != manifest["main_class"]:
        problems.append(f"gate argv: --class is not {manifest['main_class']}: {argv}")
    jars = [i for i, a in enumerate(argv) if str(a).endswith(".jar")]
    if len(jars) != 1:
        return problems + [f"gate argv: expected exactly one jar: {argv}"]
    return problems + args_problems(argv[jars[0] + 1:], manifest, "gate argv")


def jar_problems(jar, main_class):
    if not jar.is_file():
        return [f"jar {jar} is missing; {BUILD_HINT}"]
    entry = main_class.replace(".", "/") + ".class"
    with zipfile.ZipFile(jar) as z:
        if entry not in z.namelist():
            return [f"{jar} has no {entry}"]
    return []


def spark_properties_problems(text, where):
    """A Spark properties file: `key value` or `key=value` lines, keys starting with spark."""
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        match = re.match(r"^([^\s=:]+)\s*[=\s]\s*(\S.*)$", line)
        if not match:
            problems.append(f"{where}:{n}: not `key value` or `key=value`: {line}")
        elif not match.group(1).startswith("spark."):
            problems.append(f"{where}:{n}: key {match.group(1)} does not start with spark.")
    return problems


def repo_path(deployed):
    relative = deployed[len(assay_submit.ASSAY_HOME) + 1:]
    return REPO / DEPLOYED_FROM.get(relative, relative)


def conf_problems():
    problems = []
    for key, deployed in assay_submit.DEFAULTS.items():
        if not deployed.startswith(assay_submit.ASSAY_HOME + "/"):
            problems.append(f"{key}: default {deployed} is not under {assay_submit.ASSAY_HOME}")
            continue
        path = repo_path(deployed)
        if path.suffix == ".jar":
            continue  # built by Maven: see test_jar_has_main_class
        if not path.is_file():
            problems.append(f"{key}: {deployed} is deployed from {path.relative_to(REPO)}, which is missing")
        elif path.suffix == ".conf":
            problems += spark_properties_problems(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    return problems


def dag_problems(source, dag_id, manifest):
    """Every check of one DAG source; what the mutation tests run."""
    info = dag_checker.check_source(source, f"{dag_id}.py")
    problems = list(info.unresolved)
    problems += structure_problems(info, dag_id) + settings_problems(info) + retries_problems(info, dag_id)
    problems += kwargs_problems(info) + cli_problems(info, manifest)
    if dag_id == "assay_nightly":
        problems += jobs_problems(info, manifest)
    return problems


# --- tests of the real DAGs ------------------------------------------------------------------

class DagStructureTest(unittest.TestCase):
    def setUp(self):
        self.infos = {dag_id: dag_checker.check_file(DAGS / f"{dag_id}.py") for dag_id in EXPECTED}

    def test_checker_resolved_everything(self):
        for dag_id, info in self.infos.items():
            self.assertEqual(info.unresolved, [], dag_id)

    def test_exact_tasks_and_edges(self):
        for dag_id, info in self.infos.items():
            self.assertEqual(structure_problems(info, dag_id), [], dag_id)

    def test_dag_settings(self):
        for dag_id, info in self.infos.items():
            self.assertEqual(settings_problems(info), [], dag_id)
        self.assertEqual(self.infos["assay_nightly"].dag["schedule"], "@daily")

    def test_retries(self):
        for dag_id, info in self.infos.items():
            self.assertEqual(retries_problems(info, dag_id), [], dag_id)
        self.assertEqual(self.infos["retrain_gated"].tasks["gate"].kwargs.get("retries"), 0)

    def test_operator_arguments_exist_in_pinned_provider(self):
        for dag_id, info in self.infos.items():
            self.assertEqual(kwargs_problems(info), [], dag_id)

    def test_spark_tasks_use_assay_connection(self):
        for info in self.infos.values():
            for task in info.tasks.values():
                if task.kind == "SparkSubmitOperator":
                    self.assertEqual(task.kwargs.get("conn_id"), assay_submit.SPARK_CONN_ID, task)

    def test_nightly_jobs_use_settings_templates(self):
        for task in self.infos["assay_nightly"].tasks.values():
            if task.kind == "SparkSubmitOperator":
                self.assertEqual(task.kwargs["application"], assay_submit.setting("jar"))
                self.assertEqual(task.kwargs["properties_file"], assay_submit.setting("properties_file"))
                self.assertIn(assay_submit.setting("config"), task.kwargs["application_args"])

    def test_publish_and_retrain_meet_on_the_asset(self):
        nightly, retrain = self.infos["assay_nightly"], self.infos["retrain_gated"]
        self.assertIn(dag_checker.Ref("AssetAlias", "assay-verified"), nightly.tasks["publish"].kwargs["outlets"])
        self.assertEqual(retrain.dag["schedule"], [dag_checker.Ref("Asset", assay_submit.asset_uri("adult"))])

    def test_train_reads_the_gated_version(self):
        args = self.infos["retrain_gated"].tasks["train"].kwargs["application_args"]
        version = args[args.index("--table-version") + 1]
        self.assertIn("xcom_pull(task_ids='gate')", version)
        self.assertIn("['input_version']", version)
        self.assertEqual(args[args.index("--table") + 1], "{{ var.value.retrain_table }}")


class CliCrossCheckTest(unittest.TestCase):
    """The DAGs only use commands and flags the built CLI has (manifest from `mvn -B verify`)."""

    def setUp(self):
        self.manifest = load_manifest()
        self.infos = {dag_id: dag_checker.check_file(DAGS / f"{dag_id}.py") for dag_id in EXPECTED}

    def test_task_arguments_match_cli(self):
        for dag_id, info in self.infos.items():
            self.assertEqual(cli_problems(info, self.manifest), [], dag_id)

    def test_nightly_runs_exactly_the_cli_jobs(self):
        self.assertEqual(jobs_problems(self.infos["assay_nightly"], self.manifest), [])

    def test_main_class(self):
        self.assertEqual(assay_submit.MAIN_CLASS, self.manifest["main_class"])

    def test_gate_argv_matches_cli(self):
        for dataset in (None, "adult"):
            argv = assay_submit.gate_argv("/x/assay.jar", "/x/assay.yaml", "/x/local.conf", dataset)
            self.assertEqual(gate_argv_problems(argv, self.manifest), [], argv)

    def test_jar_has_main_class(self):
        self.assertEqual(jar_problems(JAR, self.manifest["main_class"]), [])


class ConfFilesTest(unittest.TestCase):
    def test_deployed_defaults_exist_in_repo(self):
        self.assertEqual(conf_problems(), [])

    def test_spark_properties_parser(self):
        good = "# comment\n\nspark.master local[1]\nspark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension\n"
        self.assertEqual(spark_properties_problems(good, "good"), [])
        self.assertEqual(len(spark_properties_problems("spark.master\nfoo.bar 1\nspark.x = 2\n", "bad")), 2)


# --- mutation tests: broken copies of the DAGs must be caught --------------------------------

class MutationTest(unittest.TestCase):
    def mutate(self, dag_id, *replacements):
        source = dag_source(dag_id)
        for old, new in replacements:
            self.assertIn(old, source, "mutation target not found: update this test")
            source = source.replace(old, new, 1)
        return source

    def test_unmutated_sources_pass(self):
        manifest = load_manifest()
        for dag_id in EXPECTED:
            self.assertEqual(dag_problems(dag_source(dag_id), dag_id, manifest), [], dag_id)

    def test_misspelt_command(self):
        manifest = load_manifest()
        source = self.mutate("assay_nightly", ('"feature-drift"', '"feature-drfit"'))
        info = dag_checker.check_source(source)
        self.assertTrue(cli_problems(info, manifest))
        self.assertTrue(jobs_problems(info, manifest))

    def test_deleted_edge(self):
        source = self.mutate("assay_nightly", ("    checks >> verdict\n", ""))
        self.assertTrue(structure_problems(dag_checker.check_source(source), "assay_nightly"))

    def test_deleted_task(self):
        manifest = load_manifest()
        source = self.mutate(
            "assay_nightly",
            ('    duplicates = SparkSubmitOperator(task_id="duplicates", '
             '**assay_submit.job_submit_kwargs("duplicates"))\n', ""),
            ("label_drift, duplicates, client_anomalies]", "label_drift, client_anomalies]"))
        info = dag_checker.check_source(source)
        self.assertEqual(info.unresolved, [])
        self.assertTrue(structure_problems(info, "assay_nightly"))
        self.assertTrue(jobs_problems(info, manifest))

    def test_gate_retries(self):
        source = self.mutate("retrain_gated", ('task_id="gate", retries=0', 'task_id="gate", retries=2'))
        self.assertTrue(retries_problems(dag_checker.check_source(source), "retrain_gated"))

    def test_catchup(self):
        source = self.mutate("assay_nightly", ("catchup=False", "catchup=True"))
        self.assertTrue(settings_problems(dag_checker.check_source(source)))

    def test_unknown_operator_argument(self):
        source = self.mutate("assay_nightly", ('(task_id="checks", ', '(task_id="checks", executor_memroy="4g", '))
        self.assertTrue(kwargs_problems(dag_checker.check_source(source)))

    def test_unknown_cli_option(self):
        manifest = load_manifest()
        source = self.mutate("assay_nightly", ('job_submit_kwargs("checks"))',
                                               'job_submit_kwargs("checks"), application_args=["checks", "-x"])'))
        self.assertTrue(cli_problems(dag_checker.check_source(source), manifest))

    def test_unresolvable_code_is_reported(self):
        cases = [
            ('task_id="verdict"', 'task_id="ver" + "dict"'),  # non-literal task id
            ("    checks >> verdict\n", "    checks >> verdikt\n"),  # unknown name in an edge
            ("    checks >> verdict\n", '    checks >> verdict\n    x = BashOperator(task_id="x")\n'),
            ('job_submit_kwargs("checks")', 'job_submit_kwargs(COMMAND)'),  # cannot evaluate
            ("    checks >> verdict\n", "    chain(checks, verdict)\n"),
        ]
        for old, new in cases:
            source = self.mutate("assay_nightly", (old, new))
            self.assertTrue(dag_checker.check_source(source).unresolved, new)

    def test_chains_lists_and_lshift(self):
        source = self.mutate("assay_nightly", (
            "    profile >> feature_drift\n",
            "    feature_drift << profile\n    [label_drift, duplicates] >> client_anomalies >> checks\n"))
        info = dag_checker.check_source(source)
        self.assertEqual(info.unresolved, [])
        self.assertIn(("profile", "feature_drift"), info.edges)
        self.assertIn(("label_drift", "client_anomalies"), info.edges)
        self.assertIn(("client_anomalies", "checks"), info.edges)
        self.assertTrue(structure_problems(info, "assay_nightly"))


if __name__ == "__main__":
    unittest.main()
