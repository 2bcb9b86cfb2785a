"""Why a kernel died, told to Cellmate.

Jupyter Server notices a dead kernel by polling its process, then sends `{"execution_state": "dead"}` (or
`"restarting"`) over the kernel's WebSocket; the exit status is not in it. The kernel manager records the status
here when it finds the process gone, and the patched status message carries it as `content.cellmate_reason`
(an extra key, which other clients ignore).
"""

import signal

_REASONS = {}
_KEEP = 200


def describe_exit(code, sandboxed=False):
    """A sentence for the person. bubblewrap exits with 128 + N when the kernel inside was killed by signal N."""
    if code is None:
        return "The kernel died"
    signum = -code if code < 0 else (code - 128 if sandboxed and code > 128 else 0)
    if signum:
        if signum == signal.SIGKILL:
            return "The kernel was killed (SIGKILL); it may have run out of memory"
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = "signal %d" % signum
        return "The kernel was killed by %s" % name
    if code == 0:
        return "The kernel exited"
    return "The kernel exited with code %d" % code


def record(kernel_id, reason):
    if not kernel_id:
        return
    _REASONS[kernel_id] = reason
    while len(_REASONS) > _KEEP:
        del _REASONS[next(iter(_REASONS))]


def reason_for(kernel_id):
    return _REASONS.get(kernel_id)


def _patch(handler_class):
    original = getattr(handler_class, "_send_status_message", None)
    if original is None or getattr(original, "_cellmate", False):
        return

    def _send_status_message(self, status):
        reason = reason_for(getattr(self, "kernel_id", None)) if status in ("dead", "restarting") else None
        session = getattr(self, "session", None)
        if not reason or session is None:
            return original(self, status)
        make_msg = session.msg

        def msg(msg_type, content=None, *args, **kwargs):
            if msg_type == "status" and isinstance(content, dict):
                content = dict(content, cellmate_reason=reason)
            return make_msg(msg_type, content, *args, **kwargs)

        # Shadow the bound method for this one call: the message is built and sent inside `original`.
        session.msg = msg
        try:
            return original(self, status)
        finally:
            del session.msg

    _send_status_message._cellmate = True
    handler_class._send_status_message = _send_status_message


def patch_status_messages():
    """Adds `cellmate_reason` to the status messages of jupyter_server 1.x and 2.x kernel WebSockets."""
    try:  # jupyter_server 1.x
        from jupyter_server.services.kernels.handlers import ZMQChannelsHandler

        _patch(ZMQChannelsHandler)
    except ImportError:
        pass
    try:  # jupyter_server 2.x
        from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

        _patch(ZMQChannelsWebsocketConnection)
    except ImportError:
        pass
