"""Unit tests of the pure helper airflow/dags/assay_submit.py."""

import ast
import json
import subprocess
import unittest
from pathlib import Path

import assay_submit as a

PASS = {"dataset": "adult", "partitions": ["2026-11-10"], "verdict": "PASS", "reasons": [],
        "input_version": 7, "blocked": False}
FAIL = {"dataset": "fl_updates", "partitions": ["7"], "verdict": "FAIL", "reasons": ["round 7: client c006"],
        "input_version": 3, "blocked": True}
ERROR = {"dataset": "nope", "partitions": [], "verdict": "ERROR", "reasons": ["Unknown dataset 'nope'"],
         "input_version": None, "blocked": True}


def lines(*decisions, noise=True):
    """Gate stdout: JSON lines mixed with log noise."""
    out = ["26/11/29 10:00:00 INFO SparkContext: Running Spark version 4.1.0"] if noise else []
    for d in decisions:
        out.append(json.dumps(d))
        if noise:
            out.append("{not json at all")
    return "\n".join(out) + "\n"


class PurityTest(unittest.TestCase):
    def test_helper_imports_only_the_standard_library(self):
        tree = ast.parse(Path(a.__file__).read_text(encoding="utf-8"))
        modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names}
        modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        self.assertEqual(modules, {"json", "logging", "subprocess"})


class SettingsTest(unittest.TestCase):
    def test_template_order_param_variable_default(self):
        self.assertEqual(a.setting("config"),
                         "{{ params.assay_config or var.value.get('assay_config', '/opt/assay/conf/assay.yaml') }}")
        self.assertEqual(a.setting("assay_jar"), a.setting("jar"))
        self.assertIn("'/opt/assay/conf/spark/cluster.conf'", a.setting("properties_file"))
        self.assertIn("'/opt/assay/conf/spark/local.conf'", a.setting("local_properties_file"))

    def test_unknown_setting(self):
        with self.assertRaises(KeyError):
            a.setting("nope")

    def test_params_are_empty_so_variables_apply(self):
        self.assertEqual(a.params(), {"assay_jar": "", "assay_config": "", "assay_properties_file": "",
                                      "assay_local_properties_file": ""})

    def test_resolve_mirrors_the_template(self):
        variables = {"assay_config": "/var/conf.yaml"}

        def get(key, default):
            return variables.get(key, default)

        self.assertEqual(a.resolve("config", {"assay_config": "/p.yaml"}, get), "/p.yaml")
        self.assertEqual(a.resolve("config", {"assay_config": ""}, get), "/var/conf.yaml")
        self.assertEqual(a.resolve("jar", {}, get), "/opt/assay/assay-jobs-0.1.0.jar")
        self.assertEqual(a.resolve("jar", None, get), "/opt/assay/assay-jobs-0.1.0.jar")

    def test_defaults_live_under_assay_home(self):
        for path in a.DEFAULTS.values():
            self.assertTrue(path.startswith(a.ASSAY_HOME + "/"), path)


class SubmitTest(unittest.TestCase):
    def test_job_submit_kwargs(self):
        kwargs = a.job_submit_kwargs("feature-drift")
        self.assertEqual(kwargs, {
            "application": a.setting("jar"),
            "java_class": "dev.assay.jobs.cli.Assay",
            "conn_id": "assay_spark",
            "properties_file": a.setting("properties_file"),
            "name": "assay-feature-drift",
            "application_args": ["feature-drift", "-c", a.setting("config")],
        })

    def test_gate_argv(self):
        self.assertEqual(a.gate_argv("/j.jar", "/c.yaml", "/l.conf"), [
            "spark-submit", "--master", "local[1]", "--class", "dev.assay.jobs.cli.Assay",
            "--properties-file", "/l.conf", "/j.jar", "gate", "-c", "/c.yaml"])
        argv = a.gate_argv("/j.jar", "/c.yaml", "/l.conf", "adult", spark_submit="/spark/bin/spark-submit")
        self.assertEqual(argv[0], "/spark/bin/spark-submit")
        self.assertEqual(argv[-2:], ["-d", "adult"])

    def test_local_gate_argv_resolves_settings(self):
        argv = a.local_gate_argv({"assay_config": "/p.yaml"}, lambda key, default: default, "adult")
        self.assertEqual(argv, a.gate_argv("/opt/assay/assay-jobs-0.1.0.jar", "/p.yaml",
                                           "/opt/assay/conf/spark/local.conf", "adult"))


class ParseGateTest(unittest.TestCase):
    def test_pass(self):
        decisions = a.parse_gate(lines(PASS), 0)
        self.assertEqual(decisions, [PASS])
        self.assertTrue(a.is_verified(decisions[0]))

    def test_one_blocked_among_several(self):
        decisions = a.parse_gate(lines(PASS, FAIL), 1)
        self.assertEqual([a.is_verified(d) for d in decisions], [True, False])

    def test_error_line_with_exit_1_is_blocked(self):
        self.assertFalse(a.is_verified(a.parse_gate(lines(ERROR), 1)[0]))

    def test_bad_config_exit_2_raises_with_reasons(self):
        with self.assertRaisesRegex(a.GateError, r"exited with 2: Unknown dataset 'nope'"):
            a.parse_gate(lines(ERROR), 2)

    def test_runtime_failure_exit_3_raises(self):
        with self.assertRaisesRegex(a.GateError, "exited with 3"):
            a.parse_gate("Exception in thread main\n", 3)
        with self.assertRaisesRegex(a.GateError, "exited with -9"):
            a.parse_gate(lines(PASS), -9)

    def test_no_decision_fails_closed(self):
        for stdout in ("", None, "INFO only logs\n{\"level\": \"INFO\"}\n[1, 2]\n"):
            for code in (0, 1):
                with self.assertRaisesRegex(a.GateError, "no JSON decision"):
                    a.parse_gate(stdout, code)

    def test_exit_code_must_agree_with_decisions(self):
        with self.assertRaises(a.GateError):
            a.parse_gate(lines(FAIL), 0)
        with self.assertRaises(a.GateError):
            a.parse_gate(lines(PASS), 1)

    def test_expected_dataset(self):
        self.assertEqual(a.parse_gate(lines(PASS), 0, "adult"), [PASS])
        with self.assertRaisesRegex(a.GateError, "expected one decision"):
            a.parse_gate(lines(PASS), 0, "other")
        with self.assertRaisesRegex(a.GateError, "expected one decision"):
            a.parse_gate(lines(PASS, PASS), 0, "adult")

    def test_verified_needs_unblocked_pass_or_warn_and_int_version(self):
        self.assertTrue(a.is_verified(dict(PASS, verdict="WARN")))
        for bad in (dict(PASS, verdict="UNKNOWN"), dict(PASS, verdict="MISSING"), dict(PASS, blocked=None),
                    dict(PASS, blocked="false"), dict(PASS, input_version=None), dict(PASS, input_version="7"),
                    dict(PASS, input_version=True), {k: v for k, v in PASS.items() if k != "blocked"}):
            self.assertFalse(a.is_verified(bad), bad)


class RunGateTest(unittest.TestCase):
    def test_runs_argv_and_parses(self):
        calls = []

        def run(argv, **kwargs):
            calls.append((argv, kwargs))
            return subprocess.CompletedProcess(argv, 0, stdout=lines(PASS), stderr="log4j noise\n")

        self.assertEqual(a.run_gate(["spark-submit", "x"], "adult", timeout=5, run=run), [PASS])
        self.assertEqual(calls, [(["spark-submit", "x"], {"capture_output": True, "text": True, "timeout": 5})])

    def test_failure_propagates(self):
        def run(argv, **kwargs):
            return subprocess.CompletedProcess(argv, 3, stdout="", stderr="boom")

        with self.assertRaises(a.GateError):
            a.run_gate(["x"], run=run)


class AssetTest(unittest.TestCase):
    def test_asset_uri(self):
        self.assertEqual(a.asset_uri("adult"), "assay://adult")

    def test_event_extra_is_small_and_serialisable(self):
        extra = a.event_extra(dict(PASS, partitions=["a", "b", "c"]))
        self.assertEqual(extra, {"dataset": "adult", "input_version": 7, "verdict": "PASS", "partitions": 3})
        json.dumps(extra)

    def test_only_verified_datasets_get_events(self):
        blocked = dict(PASS, dataset="fl_updates", verdict="FAIL", blocked=True, reasons=["client c006"])
        warned = dict(PASS, dataset="census", verdict="WARN", input_version=4)
        self.assertEqual(a.verified_events([PASS, blocked, warned]), [
            ("assay://adult", a.event_extra(PASS)), ("assay://census", a.event_extra(warned))])
        self.assertEqual(a.verified_events([blocked]), [])

    def test_training_version_is_the_fresh_verified_one(self):
        self.assertEqual(a.training_version(PASS), 7)
        with self.assertLogs("airflow.task.assay_submit", "WARNING") as logs:
            self.assertEqual(a.training_version(PASS, announced=5), 7)
        self.assertIn("announced version 5", logs.output[0])

    def test_training_version_fails_closed(self):
        for bad in (dict(PASS, verdict="FAIL", blocked=True, reasons=["psi(age)"]), dict(PASS, verdict="MISSING"),
                    dict(PASS, input_version=None)):
            with self.assertRaises(a.GateError) as raised:
                a.training_version(bad, announced=7)
            self.assertIn("not verified", str(raised.exception))

    def test_version_from_events(self):
        self.assertIsNone(a.version_from_events([]))
        self.assertIsNone(a.version_from_events(None))
        self.assertIsNone(a.version_from_events([{}, None, {"input_version": None}, {"input_version": "3"}]))
        self.assertEqual(a.version_from_events([{"input_version": 3}, {"input_version": 9}, {"x": 1}]), 9)


if __name__ == "__main__":
    unittest.main()
