"""Static (ast-based) reading of a DAG file, for environments without Airflow.

check_file()/check_source() return a DagInfo with the DAG constructor arguments, every task with
its literal task_id and keyword arguments, and the dependency edges. Keyword arguments are
evaluated: literals, module-level constants, timedelta/datetime, Asset(...), and calls of the
pure builders of the real assay_submit helper (e.g. **assay_submit.job_submit_kwargs("checks")).
Whatever cannot be resolved is listed in DagInfo.unresolved instead of being ignored.
"""

import ast
import sys
from collections import namedtuple
from datetime import datetime, timedelta, timezone
from pathlib import Path

DAGS_DIR = Path(__file__).resolve().parents[1] / "dags"
if str(DAGS_DIR) not in sys.path:
    sys.path.insert(0, str(DAGS_DIR))
import assay_submit  # noqa: E402  (the real helper, from airflow/dags)

SPARK_MODULE = "airflow.providers.apache.spark.operators.spark_submit"
# Operators this checker understands, with the module each must be imported from.
KNOWN_OPERATORS = {"SparkSubmitOperator": SPARK_MODULE}
DAG_MODULES = {"airflow", "airflow.sdk", "airflow.models", "airflow.models.dag"}
TASK_MODULES = {"airflow.sdk", "airflow.decorators"}
# Helper functions the checker may call while evaluating a DAG file: pure builders only.
SAFE_HELPERS = {"job_submit_kwargs", "setting", "params", "asset_uri", "gate_argv"}

# Asset("x") / AssetAlias("x") (and the Airflow 2 names) evaluate to a Ref.
Ref = namedtuple("Ref", "kind value")


def _ref(kind):
    def make(value, **_):
        return Ref(kind, value)
    return make


CONSTRUCTORS = {
    "timedelta": timedelta,
    "datetime": datetime,
    "Asset": _ref("Asset"),
    "Dataset": _ref("Asset"),
    "AssetAlias": _ref("AssetAlias"),
    "DatasetAlias": _ref("AssetAlias"),
}


class Unresolved(Exception):
    """Raised while evaluating an expression the checker cannot resolve."""


class Task:
    def __init__(self, task_id, kind, kwargs, line):
        self.task_id = task_id
        self.kind = kind  # an operator class name, or "@task"
        self.kwargs = kwargs
        self.line = line

    def __repr__(self):
        return f"Task({self.task_id!r}, {self.kind}, line {self.line})"


class DagInfo:
    def __init__(self, path):
        self.path = path
        self.dag = {}  # DAG constructor keyword arguments, evaluated
        self.tasks = {}  # task_id -> Task
        self.edges = set()  # (upstream task_id, downstream task_id)
        self.unresolved = []

    def effective(self, task_id, key, default=None):
        """A task argument, falling back on the DAG's default_args."""
        task = self.tasks[task_id]
        if key in task.kwargs:
            return task.kwargs[key]
        return (self.dag.get("default_args") or {}).get(key, default)


def check_file(path):
    path = Path(path)
    return check_source(path.read_text(encoding="utf-8"), str(path))


def check_source(source, path="<source>"):
    return _Reader(path).read(ast.parse(source, filename=path))


class _Reader:
    def __init__(self, path):
        self.info = DagInfo(path)
        self.env = dict(CONSTRUCTORS)  # names the evaluator knows
        self.imports = {}  # imported name -> set of modules it may come from
        self.task_vars = {}  # python variable -> task_id
        self.factories = {}  # @task function name -> (task_id, kwargs, line)
        self.called = set()  # @task functions already turned into tasks
        self.dag_seen = False

    def problem(self, node, message):
        line = getattr(node, "lineno", "?")
        self.info.unresolved.append(f"{self.info.path}:{line}: {message}")

    # --- statements -------------------------------------------------------------------------

    def read(self, tree):
        self.env["__doc__"] = ast.get_docstring(tree)
        for node in tree.body:
            self.module_statement(node)
        if not self.dag_seen:
            self.problem(tree, "no `with DAG(...)` block found")
        return self.info

    def module_statement(self, node):
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Try)):
            self.collect_imports(node)
        elif isinstance(node, ast.Assign):
            if self.is_operator_call(node.value):
                self.dag_statement(node)  # a task outside the DAG block: still read it
            else:
                try:  # module constants; anything else (loggers, ...) stays unknown
                    value = self.eval(node.value)
                except Unresolved:
                    return
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.env[target.id] = value
        elif isinstance(node, ast.FunctionDef):
            if node.decorator_list:
                self.dag_statement(node)
        elif isinstance(node, ast.With):
            self.read_with(node)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            pass  # docstring
        else:
            self.dag_statement(node)

    def collect_imports(self, node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.ImportFrom) and sub.module:
                for alias in sub.names:
                    self.imports.setdefault(alias.asname or alias.name, set()).add(sub.module)
            elif isinstance(sub, ast.Import):
                for alias in sub.names:
                    self.imports.setdefault(alias.asname or alias.name, set()).add(alias.name)

    def read_with(self, node):
        items = node.items
        call = items[0].context_expr if len(items) == 1 else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "DAG"
                and self.imports.get("DAG", set()) & DAG_MODULES):
            self.problem(node, f"unknown `with` block: {ast.unparse(node.items[0])}")
            return
        if self.dag_seen:
            self.problem(node, "more than one DAG in the file")
            return
        self.dag_seen = True
        if call.args:
            self.problem(call, "DAG() positional arguments are not understood; use keywords")
        for kw in call.keywords:
            if kw.arg is None:
                self.problem(call, "DAG(**...) is not understood")
                continue
            try:
                self.info.dag[kw.arg] = self.eval(kw.value)
            except Unresolved as e:
                self.problem(kw.value, f"DAG argument {kw.arg}: {e}")
        for statement in node.body:
            self.dag_statement(statement)

    def dag_statement(self, node):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if self.is_operator_call(value):
                task_id = self.operator_task(value)
            elif self.is_factory_call(value):
                task_id = self.factory_task(value)
            else:
                self.problem(node, f"not a task: {ast.unparse(value)}")
                return
            if task_id is not None:
                self.task_vars[node.targets[0].id] = task_id
        elif isinstance(node, ast.FunctionDef):
            self.read_task_function(node)
        elif isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Constant):
                return  # docstring or comment-like string
            self.tasks_of(node.value)
        else:
            self.problem(node, f"statement not understood: {ast.unparse(node).splitlines()[0]}")

    def read_task_function(self, node):
        if len(node.decorator_list) != 1:
            self.problem(node, f"function {node.name}: only a single @task(...) decorator is understood")
            return
        deco = node.decorator_list[0]
        call = deco if isinstance(deco, ast.Call) else None
        name = call.func if call else deco
        if not (isinstance(name, ast.Name) and name.id == "task" and self.imports.get("task", set()) & TASK_MODULES):
            self.problem(node, f"function {node.name}: unknown decorator {ast.unparse(deco)}")
            return
        kwargs, task_id = {}, node.name
        for kw in call.keywords if call else []:
            if kw.arg == "task_id":
                if not (isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)):
                    self.problem(kw.value, f"function {node.name}: task_id is not a literal string")
                    return
                task_id = kw.value.value
            try:
                kwargs[kw.arg] = self.eval(kw.value)
            except Unresolved as e:
                self.problem(kw.value, f"task {task_id} argument {kw.arg}: {e}")
        if call and call.args:
            self.problem(call, f"function {node.name}: positional @task arguments are not understood")
        kwargs["task_id"] = task_id
        self.factories[node.name] = (task_id, kwargs, node.lineno)

    # --- tasks ------------------------------------------------------------------------------

    def is_operator_call(self, node):
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
            node.func.id in KNOWN_OPERATORS or node.func.id.endswith(("Operator", "Sensor")))

    def is_factory_call(self, node):
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.factories

    def add_task(self, node, task):
        if task.task_id in self.info.tasks:
            self.problem(node, f"duplicate task_id {task.task_id!r}")
            return None
        self.info.tasks[task.task_id] = task
        return task.task_id

    def operator_task(self, call):
        op = call.func.id
        if KNOWN_OPERATORS.get(op) not in self.imports.get(op, set()):
            self.problem(call, f"unknown operator {op} (or not imported from {KNOWN_OPERATORS.get(op)})")
            return None
        if call.args:
            self.problem(call, f"{op}: positional arguments are not understood")
        task_id, kwargs = None, {}
        for kw in call.keywords:
            if kw.arg == "task_id":
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    task_id = kw.value.value
                continue
            try:
                value = self.eval(kw.value)
            except Unresolved as e:
                self.problem(kw.value, f"{op} argument {kw.arg or '**'}: {e}")
                continue
            if kw.arg is None:
                if not isinstance(value, dict):
                    self.problem(kw.value, f"{op}: ** of a non-dict")
                    continue
                for key in value:
                    if key in kwargs:
                        self.problem(kw.value, f"{op}: argument {key} given twice")
                kwargs.update(value)
            else:
                kwargs[kw.arg] = value
        if task_id is None:
            self.problem(call, f"{op}: task_id is missing or not a literal string")
            return None
        if "task_id" in kwargs:
            self.problem(call, f"{op}: task_id given twice")
        kwargs["task_id"] = task_id
        return self.add_task(call, Task(task_id, op, kwargs, call.lineno))

    def factory_task(self, call):
        name = call.func.id
        if name in self.called:
            self.problem(call, f"@task function {name} is called twice (Airflow would suffix its task_id)")
            return None
        self.called.add(name)
        task_id, kwargs, line = self.factories[name]
        return self.add_task(call, Task(task_id, "@task", dict(kwargs), line))

    def tasks_of(self, node):
        """Task ids an expression in a dependency statement stands for; records its edges."""
        if isinstance(node, ast.Name):
            if node.id in self.task_vars:
                return [self.task_vars[node.id]]
            if node.id in self.factories:
                self.problem(node, f"@task function {node.id} used without calling it")
            else:
                self.problem(node, f"unknown name in dependencies: {node.id}")
            return []
        if isinstance(node, (ast.List, ast.Tuple)):
            return [t for elt in node.elts for t in self.tasks_of(elt)]
        if self.is_factory_call(node):
            task_id = self.factory_task(node)
            return [task_id] if task_id else []
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            if isinstance(node.left, (ast.List, ast.Tuple)) and isinstance(node.right, (ast.List, ast.Tuple)):
                self.problem(node, "list >> list is not supported by Airflow")
            left, right = self.tasks_of(node.left), self.tasks_of(node.right)
            up, down = (left, right) if isinstance(node.op, ast.RShift) else (right, left)
            self.info.edges.update((u, d) for u in up for d in down)
            return right  # `a >> b` evaluates to b, so chains link neighbours
        self.problem(node, f"dependency expression not understood: {ast.unparse(node)}")
        return []

    # --- expressions ------------------------------------------------------------------------

    def eval(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List):
            return [self.eval(e) for e in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(self.eval(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            out = {}
            for key, value in zip(node.keys, node.values):
                if key is None:
                    out.update(self.eval(value))
                else:
                    out[self.eval(key)] = self.eval(value)
            return out
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            raise Unresolved(f"unknown name {node.id}")
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.conversion != -1 or part.format_spec is not None:
                        raise Unresolved(f"f-string formatting not understood: {ast.unparse(node)}")
                    parts.append(str(self.eval(part.value)))
                else:
                    parts.append(part.value)
            return "".join(parts)
        if isinstance(node, ast.Call):
            func = self.callee(node.func)
            if any(isinstance(a, ast.Starred) for a in node.args):
                raise Unresolved(f"*args not understood: {ast.unparse(node)}")
            args = [self.eval(a) for a in node.args]
            kwargs = {}
            for kw in node.keywords:
                if kw.arg is None:
                    kwargs.update(self.eval(kw.value))
                else:
                    kwargs[kw.arg] = self.eval(kw.value)
            try:
                return func(*args, **kwargs)
            except Exception as e:  # a helper rejecting its arguments is a finding, not a crash
                raise Unresolved(f"{ast.unparse(node)} raised {e!r}") from e
        raise Unresolved(f"cannot evaluate {ast.unparse(node)}")

    def attribute(self, node):
        if isinstance(node.value, ast.Name) and node.value.id == "assay_submit":
            if node.attr.startswith("_") or not hasattr(assay_submit, node.attr):
                raise Unresolved(f"unknown helper attribute assay_submit.{node.attr}")
            value = getattr(assay_submit, node.attr)
            if callable(value) and node.attr not in SAFE_HELPERS:
                raise Unresolved(f"assay_submit.{node.attr} is not a pure builder the checker may call")
            return value
        if ast.unparse(node) == "timezone.utc":
            return timezone.utc
        raise Unresolved(f"cannot evaluate {ast.unparse(node)}")

    def callee(self, node):
        if isinstance(node, ast.Name) and node.id in CONSTRUCTORS:
            return CONSTRUCTORS[node.id]
        if isinstance(node, ast.Attribute):
            value = self.attribute(node)
            if callable(value):
                return value
        raise Unresolved(f"cannot call {ast.unparse(node)}")
