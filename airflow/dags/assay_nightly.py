"""
### assay_nightly

Runs the Assay jobs on the Spark cluster every night, then asks the gate which datasets may be
used for training and publishes an `assay://NAME` asset event (with the verified Delta
`input_version`) for each of them. Retrain DAGs schedule on those assets.

Graph: `profile >> feature_drift`; `feature_drift`, `label_drift`, `duplicates` and
`client_anomalies` `>> checks >> verdict >> publish`.

Settings (DAG params override Airflow Variables, which override the defaults in `assay_submit.py`):
`assay_jar`, `assay_config`, `assay_properties_file`, `assay_local_properties_file`.
"""

from datetime import datetime, timedelta, timezone
import logging

import assay_submit

try:  # Airflow 3
    from airflow.sdk import DAG, Asset, AssetAlias, Variable, get_current_context, task
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.datasets import Dataset as Asset, DatasetAlias as AssetAlias
    from airflow.decorators import task
    from airflow.models import Variable
    from airflow.operators.python import get_current_context
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

log = logging.getLogger("airflow.task")  # the task log on Airflow 2.10 and 3.x

# Every verified dataset's asset event goes through this alias: the set of datasets is not fixed.
VERIFIED = "assay-verified"

DEFAULT_ARGS = {
    "owner": "assay",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(hours=4),
}

with DAG(
    dag_id="assay_nightly",
    schedule="@daily",
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params=assay_submit.params(),
    tags=["assay", "data-integrity"],
    doc_md=__doc__,
):
    # One spark-submit per job; each CLI command processes the pending partitions of every dataset.
    profile = SparkSubmitOperator(task_id="profile", **assay_submit.job_submit_kwargs("profile"))
    feature_drift = SparkSubmitOperator(task_id="feature_drift", **assay_submit.job_submit_kwargs("feature-drift"))
    label_drift = SparkSubmitOperator(task_id="label_drift", **assay_submit.job_submit_kwargs("label-drift"))
    duplicates = SparkSubmitOperator(task_id="duplicates", **assay_submit.job_submit_kwargs("duplicates"))
    client_anomalies = SparkSubmitOperator(task_id="client_anomalies",
                                           **assay_submit.job_submit_kwargs("client-anomalies"))
    checks = SparkSubmitOperator(task_id="checks", **assay_submit.job_submit_kwargs("checks"))
    verdict = SparkSubmitOperator(task_id="verdict", **assay_submit.job_submit_kwargs("verdict"))

    @task(task_id="publish", outlets=[AssetAlias(VERIFIED)], retries=1, execution_timeout=timedelta(hours=1))
    def publish():
        """Runs the gate for every dataset; publishes assay://NAME for each verified one."""
        context = get_current_context()
        argv = assay_submit.local_gate_argv(context["params"], Variable.get)
        log.info("running %s", argv)
        # Exit 2/3 or output without a decision raise GateError: the task fails, nothing is published.
        decisions = assay_submit.run_gate(argv)
        for decision in decisions:
            log.info("%s: %s %s", decision["dataset"], decision.get("verdict"), decision.get("reasons"))
        for uri, extra in assay_submit.verified_events(decisions):
            context["outlet_events"][AssetAlias(VERIFIED)].add(Asset(uri), extra=extra)
            log.info("published %s: %s", uri, extra)

    # Feature drift reads the profiles; checks may read every job's metrics; the verdict reads all results.
    profile >> feature_drift
    [feature_drift, label_drift, duplicates, client_anomalies] >> checks
    checks >> verdict
    verdict >> publish()
