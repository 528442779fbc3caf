"""
### retrain_gated

Example retrain DAG for the `adult` dataset. It runs when `assay_nightly` publishes
`assay://adult`, asks the gate again (the data may have changed since the nightly run) and
trains only on a verified Delta version; otherwise the run FAILS (it is never skipped).

Contract of the training application (Variable `retrain_application`, a jar or a .py file):
it is called with `--table PATH --table-version V` and must read exactly that version,
`spark.read.format("delta").option("versionAsOf", V).load(PATH)`. `PATH` comes from the
Variable `retrain_table`.
"""

from datetime import datetime, timedelta, timezone
import logging

import assay_submit

try:  # Airflow 3
    from airflow.sdk import DAG, Asset, Variable, get_current_context, task
except ImportError:  # Airflow 2.10
    from airflow import DAG
    from airflow.datasets import Dataset as Asset
    from airflow.decorators import task
    from airflow.models import Variable
    from airflow.operators.python import get_current_context
from airflow.exceptions import AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

log = logging.getLogger("airflow.task")  # the task log on Airflow 2.10 and 3.x

DATASET = "adult"

DEFAULT_ARGS = {
    "owner": "ml",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(hours=6),
}


def _triggering_extras(context):
    """The `extra` dicts of the asset events that triggered this run (none for a manual run)."""
    events = context.get("triggering_asset_events") or context.get("triggering_dataset_events") or {}
    return [event.extra for event_list in events.values() for event in event_list]


with DAG(
    dag_id="retrain_gated",
    schedule=[Asset(assay_submit.asset_uri(DATASET))],
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params=assay_submit.params(),
    tags=["assay", "retrain"],
    doc_md=__doc__,
):

    @task(task_id="gate", retries=0, execution_timeout=timedelta(hours=1))
    def gate():
        """Fresh gate check; fails the run unless the dataset is verified. Returns the version to train on."""
        context = get_current_context()
        announced = assay_submit.version_from_events(_triggering_extras(context))
        argv = assay_submit.local_gate_argv(context["params"], Variable.get, DATASET)
        log.info("running %s", argv)
        try:
            version = assay_submit.training_version(assay_submit.run_gate(argv, DATASET)[0], announced)
        except assay_submit.GateError as e:
            raise AirflowFailException(str(e)) from e
        return {"dataset": DATASET, "input_version": version}

    train = SparkSubmitOperator(
        task_id="train",
        application="{{ var.value.retrain_application }}",
        conn_id=assay_submit.SPARK_CONN_ID,
        name=f"retrain-{DATASET}",
        application_args=[
            "--table", "{{ var.value.retrain_table }}",
            "--table-version", "{{ ti.xcom_pull(task_ids='gate')['input_version'] }}",
        ],
    )

    gate() >> train
