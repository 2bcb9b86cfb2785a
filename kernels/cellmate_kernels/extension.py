"""A Jupyter Server extension with one route: `GET /api/cellmate/kernels/<id>/exit` → `{"reason": "..."}`.

A kernel that dies while its WebSocket is not connected yet (it crashed at start) takes its reason with it: the
`dead` status message has nobody to go to, and Jupyter forgets the kernel. Cellmate asks here instead.
"""

import json

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from . import exits


class KernelExitHandler(APIHandler):
    @web.authenticated
    def get(self, kernel_id):
        reason = exits.reason_for(kernel_id)
        if reason is None:
            raise web.HTTPError(404, "No exit recorded for kernel %s" % kernel_id)
        self.finish(json.dumps({"reason": reason}))


def _jupyter_server_extension_points():
    return [{"module": "cellmate_kernels.extension"}]


def _load_jupyter_server_extension(serverapp):
    base_url = serverapp.web_app.settings["base_url"]
    route = url_path_join(base_url, r"/api/cellmate/kernels/([^/]+)/exit")
    serverapp.web_app.add_handlers(".*$", [(route, KernelExitHandler)])
