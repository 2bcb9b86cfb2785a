"""Runs in every Cellmate Python kernel before the first cell (IPKernelApp.exec_files, see the kernelspec written by
jupyter_server_config.py). It executes in the user's namespace, so everything lives inside a function that is
deleted afterwards: the user sees a clean namespace.
"""


def _cellmate_startup():
    import importlib.abc
    import importlib.util
    import os
    import sys
    import threading
    import time
    import warnings

    def enable_altair_mimetype(module):
        # altair's default renderer writes HTML that loads vega from a CDN; the mimetype renderer emits
        # application/vnd.vegalite.v4+json, which Cellmate renders itself.
        try:
            module.renderers.enable("mimetype")
        except Exception:
            pass
        # altair 4.2 calls DataFrame.iteritems, which pandas 1.5 deprecates: a warning under every chart that the
        # user can do nothing about.
        warnings.filterwarnings("ignore", message="iteritems is deprecated", category=FutureWarning)

    class AltairHook(importlib.abc.MetaPathFinder):
        """Configures altair right after its first import. Importing it here would add ~0.8 s to every start."""

        def find_spec(self, name, path=None, target=None):
            if name != "altair":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
                return spec
            loader = spec.loader
            original_exec = loader.exec_module

            def exec_module(module):
                original_exec(module)
                enable_altair_mimetype(module)

            loader.exec_module = exec_module
            return spec

    if "altair" in sys.modules:
        enable_altair_mimetype(sys.modules["altair"])
    else:
        sys.meta_path.insert(0, AltairHook())

    # ipykernel exits when its parent becomes pid 1; with a subreaper the orphan gets another parent instead.
    # Leave as soon as the Jupyter Server that started us is gone, whoever adopted us.
    parent = os.getppid()

    def watch_parent():
        while True:
            time.sleep(2.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch_parent, name="cellmate-parent-watchdog", daemon=True).start()


try:
    _cellmate_startup()
finally:
    del _cellmate_startup
