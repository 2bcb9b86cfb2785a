"""Describes a kernel's variables for Cellmate's agent: names, types, shapes, DataFrame columns and dtypes.

Cellmate sends this file's source in a silent execution (no cell, no history) and calls
``describe_variables_json()``. It must never raise, never import a heavy library itself (it only looks at
objects that already exist), and never call a repr that could be slow or huge (only short builtin values are
shown as values).
"""
import json
import sys

_SKIP_NAMES = {"In", "Out", "exit", "quit", "get_ipython", "open"}
_SCALARS = (bool, int, float, complex, str, bytes, type(None))
_CONTAINERS = (list, tuple, set, frozenset, dict)


def _type_name(value):
    cls = type(value)
    module = getattr(cls, "__module__", "builtins")
    if module in ("builtins", "__main__"):
        return cls.__name__
    # pandas.core.frame.DataFrame -> pandas.DataFrame: the public name is what the model knows.
    return module.split(".")[0] + "." + cls.__name__


def _short(text, limit=80):
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _describe(value, max_columns):
    info = {"type": _type_name(value)}
    if isinstance(value, _SCALARS):
        info["value"] = _short(repr(value))
        return info
    if isinstance(value, _CONTAINERS):
        info["len"] = len(value)
        if isinstance(value, dict):
            info["keys"] = [_short(repr(k), 40) for k in list(value)[:10]]
        return info
    if callable(value) and not hasattr(value, "shape"):
        return info
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and all(isinstance(n, int) for n in shape):
        info["shape"] = list(shape)
    columns = getattr(value, "columns", None)
    dtypes = getattr(value, "dtypes", None)
    if columns is not None and dtypes is not None:
        names = list(columns)
        kinds = list(dtypes) if hasattr(dtypes, "__iter__") else []
        info["columns"] = [
            {"name": _short(str(name), 60), "dtype": str(kind)} for name, kind in zip(names[:max_columns], kinds)
        ]
        if len(names) > max_columns:
            info["columns_omitted"] = len(names) - max_columns
    elif getattr(value, "dtype", None) is not None:
        info["dtype"] = str(value.dtype)
        name = getattr(value, "name", None)
        if name is not None and hasattr(value, "index"):
            info["series_name"] = _short(str(name), 60)
    return info


def _user_namespace():
    try:
        shell = get_ipython()  # noqa: F821 (defined in IPython kernels)
        hidden = getattr(shell, "user_ns_hidden", {})
        return {k: v for k, v in shell.user_ns.items() if k not in hidden}
    except NameError:
        return dict(vars(sys.modules["__main__"]))


def describe_variables(namespace=None, names=None, max_columns=60):
    """The user's variables as a list of dicts, sorted by name; modules and private names are left out."""
    namespace = _user_namespace() if namespace is None else namespace
    wanted = None if names is None else set(names)
    result = []
    for name in sorted(namespace):
        if wanted is not None and name not in wanted:
            continue
        if wanted is None and (name.startswith("_") or name in _SKIP_NAMES):
            continue
        value = namespace[name]
        if type(value).__name__ == "module":
            continue
        try:
            entry = _describe(value, max_columns)
        except Exception as error:  # a broken __getattr__ or property must not hide the other variables
            entry = {"type": _type_name(value), "error": _short(repr(error))}
        entry["name"] = name
        result.append(entry)
    return result


def describe_variables_json(names=None, max_variables=100):
    """JSON text: ``{"variables": [...], "omitted": n}`` or ``{"error": "..."}``; never raises."""
    try:
        variables = describe_variables(names=names)
        body = {"variables": variables[:max_variables], "omitted": max(0, len(variables) - max_variables)}
        return json.dumps(body, default=str)
    except Exception as error:
        return json.dumps({"error": repr(error)})
