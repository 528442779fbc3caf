"""Airflow's own DAG import test; runs only where Apache Airflow is really installed."""

import importlib.util
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"


def airflow_installed():
    """True for a real Airflow install, not the repository's airflow/ folder seen as a namespace package."""
    try:
        spec = importlib.util.find_spec("airflow")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.origin or spec.origin == "namespace":
        return False
    return REPO not in Path(spec.origin).resolve().parents


class ImportPathTest(unittest.TestCase):
    def test_repo_root_is_not_importable(self):
        import sys

        roots = [Path(p or ".").resolve() for p in sys.path]
        self.assertNotIn(REPO, roots, "the repo root on sys.path makes airflow/ shadow Apache Airflow")
        if not airflow_installed():
            with self.assertRaises(ImportError):
                import airflow.models  # noqa: F401


@unittest.skipUnless(airflow_installed(), "Apache Airflow is not installed here (no PyPI); "
                                          "the static checks in test_dags.py cover the DAGs")
class DagBagTest(unittest.TestCase):
    def test_dags_import(self):
        from airflow.models import DagBag

        bag = DagBag(dag_folder=str(DAGS), include_examples=False)
        self.assertEqual(bag.import_errors, {})
        self.assertIn("assay_nightly", bag.dag_ids)
        self.assertIn("retrain_gated", bag.dag_ids)
        self.assertEqual(len(bag.get_dag("assay_nightly").tasks), 8)
        self.assertEqual(len(bag.get_dag("retrain_gated").tasks), 2)


if __name__ == "__main__":
    unittest.main()
