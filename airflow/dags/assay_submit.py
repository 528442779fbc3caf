"""Pure-Python helpers for the Assay DAGs: spark-submit arguments and gate output.

No Airflow import here, so the unit tests run with the standard library only.
Which commands and flags the CLI has is not repeated here: the tests check every argument
list built by this module against the manifest the Java build writes.
"""

import json
import logging
import subprocess

log = logging.getLogger("airflow.task.assay_submit")  # child of the task log

MAIN_CLASS = "dev.assay.jobs.cli.Assay"
# Airflow connection (type "spark") that points at the Spark master: spark://, yarn or k8s://.
SPARK_CONN_ID = "assay_spark"

# Deployment layout on the Airflow workers; it mirrors the repository (conf/..., jobs/target/*.jar).
ASSAY_HOME = "/opt/assay"
DEFAULTS = {
    "assay_jar": f"{ASSAY_HOME}/assay-jobs-0.1.0.jar",
    "assay_config": f"{ASSAY_HOME}/conf/assay.yaml",
    "assay_properties_file": f"{ASSAY_HOME}/conf/spark/cluster.conf",
    "assay_local_properties_file": f"{ASSAY_HOME}/conf/spark/local.conf",
}

# The gate runs locally on the worker; a run that takes longer than this is killed.
GATE_TIMEOUT_SECONDS = 30 * 60

VERIFIED_VERDICTS = ("PASS", "WARN")


class GateError(RuntimeError):
    """The gate did not run, or its output cannot be trusted: nothing may be treated as verified."""


def _key(name):
    """'config' -> 'assay_config' (the DAG param and Airflow Variable name)."""
    key = name if name.startswith("assay_") else "assay_" + name
    if key not in DEFAULTS:
        raise KeyError(f"unknown Assay setting {name!r}; known: {sorted(DEFAULTS)}")
    return key


def params():
    """DAG params: empty by default, so the Airflow Variable (or the default) applies."""
    return {key: "" for key in DEFAULTS}


def setting(name):
    """Jinja template for a setting: DAG param first, then Airflow Variable, then the default."""
    key = _key(name)
    return f"{{{{ params.{key} or var.value.get('{key}', '{DEFAULTS[key]}') }}}}"


def resolve(name, dag_params, variable_get):
    """The same lookup as setting(), for Python code, where templates are not rendered.

    variable_get(key, default) is Airflow's Variable.get (or any stand-in in tests).
    """
    key = _key(name)
    value = (dag_params or {}).get(key)
    return value or variable_get(key, DEFAULTS[key])


def job_submit_kwargs(command):
    """SparkSubmitOperator keyword arguments that run one assay job command on the cluster."""
    return {
        "application": setting("jar"),
        "java_class": MAIN_CLASS,
        "conn_id": SPARK_CONN_ID,
        "properties_file": setting("properties_file"),
        "name": f"assay-{command}",
        "application_args": [command, "-c", setting("config")],
    }


def gate_argv(jar, config, properties_file, dataset=None, spark_submit="spark-submit"):
    """argv that runs `assay gate` in a local Spark on the Airflow worker (all datasets without `dataset`)."""
    argv = [spark_submit, "--master", "local[1]", "--class", MAIN_CLASS,
            "--properties-file", properties_file, jar, "gate", "-c", config]
    if dataset is not None:
        argv += ["-d", dataset]
    return argv


def local_gate_argv(dag_params, variable_get, dataset=None):
    """gate_argv() with the jar, config and local Spark properties resolved like setting()."""
    def value(name):
        return resolve(name, dag_params, variable_get)
    return gate_argv(value("jar"), value("config"), value("local_properties_file"), dataset)


def run_gate(argv, dataset=None, timeout=GATE_TIMEOUT_SECONDS, run=subprocess.run):
    """Runs a gate_argv() command and returns its parsed decisions; its stderr goes to the log."""
    result = run(argv, capture_output=True, text=True, timeout=timeout)
    if result.stderr:
        log.info("assay gate stderr (last 20000 characters):\n%s", result.stderr[-20000:])
    return parse_gate(result.stdout, result.returncode, dataset)


def _decisions(stdout):
    """The JSON decision objects in the gate's stdout; other lines (logs) are skipped."""
    found = []
    for line in (stdout or "").splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "dataset" in obj and "verdict" in obj:
            found.append(obj)
    return found


def parse_gate(stdout, returncode, dataset=None):
    """Decisions printed by `assay gate`, failing closed on anything unexpected.

    Exit 0: every dataset passed; 1: at least one is blocked; 2: bad config or flags;
    3: runtime failure. With `dataset`, exactly one decision for that dataset is expected.
    """
    decisions = _decisions(stdout)
    if returncode not in (0, 1):
        reasons = [r for d in decisions for r in d.get("reasons") or []]
        raise GateError(f"assay gate exited with {returncode}"
                        + (": " + "; ".join(map(str, reasons)) if reasons else ""))
    if not decisions:
        raise GateError(f"assay gate exited with {returncode} but printed no JSON decision")
    blocked = [d for d in decisions if d.get("blocked") is not False]
    if (returncode == 1) != bool(blocked):
        raise GateError(f"assay gate exited with {returncode} but {len(blocked)} of "
                        f"{len(decisions)} decisions are blocked")
    if dataset is not None:
        names = [d.get("dataset") for d in decisions]
        if names != [dataset]:
            raise GateError(f"expected one decision for {dataset!r}, got {names}")
    return decisions


def is_verified(decision):
    """True when training may use the data: not blocked, PASS or WARN, and a known Delta version."""
    version = decision.get("input_version")
    return (decision.get("blocked") is False
            and decision.get("verdict") in VERIFIED_VERDICTS
            and isinstance(version, int) and not isinstance(version, bool))


def asset_uri(dataset):
    """The asset a dataset publishes when its gate passes."""
    return "assay://" + dataset


def event_extra(decision):
    """Small, JSON-serialisable extra for the asset event of a verified decision."""
    return {
        "dataset": decision.get("dataset"),
        "input_version": decision.get("input_version"),
        "verdict": decision.get("verdict"),
        "partitions": len(decision.get("partitions") or []),
    }


def verified_events(decisions):
    """(asset uri, extra) for each verified decision: what the nightly publish task emits."""
    return [(asset_uri(d["dataset"]), event_extra(d)) for d in decisions if is_verified(d)]


def training_version(decision, announced=None):
    """The Delta version a retrain may read, from a fresh gate decision; GateError unless verified.

    `announced` is the version the triggering asset event carried; the fresh decision wins.
    """
    if not is_verified(decision):
        raise GateError(f"{decision.get('dataset')} is not verified: {decision.get('verdict')} "
                        f"{decision.get('reasons')}")
    version = decision["input_version"]
    if announced is not None and announced != version:
        log.warning("the asset event announced version %s; the fresh gate verified %s: training on %s",
                    announced, version, version)
    return version


def version_from_events(extras):
    """Newest input_version among the extras of the triggering asset events, or None."""
    versions = [e.get("input_version") for e in extras or [] if isinstance(e, dict)]
    versions = [v for v in versions if isinstance(v, int) and not isinstance(v, bool)]
    return max(versions) if versions else None
